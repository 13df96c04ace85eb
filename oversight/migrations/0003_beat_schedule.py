"""Beat entries: last month's work bulletin on the 1st at 07:00, the new year's indicators on 1 January at 06:30
(Asia/Shanghai). Editable in the admin by the system admin."""

from django.db import migrations

TASKS = [
    ("oversight: 月度工作通报", "oversight.generate_monthly_bulletin", {"minute": "0", "hour": "7", "day_of_month": "1"}),
    (
        "oversight: 年度考核指标",
        "oversight.ensure_year_indicators",
        {"minute": "30", "hour": "6", "day_of_month": "1", "month_of_year": "1"},
    ),
]


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, cron in TASKS:
        fields = {"minute": "*", "hour": "*", "day_of_week": "*", "day_of_month": "*", "month_of_year": "*", **cron}
        schedule, _ = CrontabSchedule.objects.get_or_create(timezone="Asia/Shanghai", **fields)
        PeriodicTask.objects.update_or_create(
            name=name, defaults={"task": task, "crontab": schedule, "enabled": True, "description": name}
        )


def remove(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[name for name, _task, _cron in TASKS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("oversight", "0002_annex2_indicators"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
