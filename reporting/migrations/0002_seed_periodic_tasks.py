"""Seed the reporting schedules in django-celery-beat (Beijing time); editable in the admin afterwards."""

from django.db import migrations

TASKS = [
    {
        "name": "报送：每日增量报送",
        "task": "reporting.tasks.deliver_incremental",
        "crontab": {"minute": "0", "hour": "1", "day_of_month": "*", "month_of_year": "*"},
        "description": "每日 01:00 按事项生成自上次报送以来新通过或变更的记录批次，并通过配置的通道报送（投递目录或 HTTP）。",
    },
    {
        "name": "报送：其他类教师资格信息半年报送",
        "task": "reporting.tasks.deliver_semiannual",
        "crontab": {"minute": "0", "hour": "2", "day_of_month": "20", "month_of_year": "6,12"},
        "description": "每年 6 月 20 日、12 月 20 日 02:00 生成事项 1（一年两次）的全量报送批次并报送，早于 6 月 30 日、12 月 31 日截止日。",
    },
    {
        "name": "公示：有效期届满记录自动过期",
        "task": "reporting.tasks.expire_records",
        "crontab": {"minute": "30", "hour": "0", "day_of_month": "*", "month_of_year": "*"},
        "description": "每日 00:30 将超过有效期（公示期）的已通过记录置为已过期，不再报送和公示。",
    },
]


def register(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for spec in TASKS:
        schedule, _ = CrontabSchedule.objects.get_or_create(
            day_of_week="*", timezone="Asia/Shanghai", **spec["crontab"]
        )
        PeriodicTask.objects.get_or_create(
            name=spec["name"],
            defaults={"task": spec["task"], "crontab": schedule, "enabled": True, "description": spec["description"]},
        )


def unregister(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[spec["name"] for spec in TASKS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(register, unregister)]
