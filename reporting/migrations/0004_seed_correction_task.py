"""Seed the daily corrections delivery in django-celery-beat (Beijing time); editable in the admin afterwards."""

from django.db import migrations

NAME = "报送：每日更正报送"
TASK = "reporting.tasks.deliver_corrections"
CRONTAB = {"minute": "30", "hour": "1", "day_of_month": "*", "month_of_year": "*", "day_of_week": "*"}
DESCRIPTION = (
    "每日 01:30 把公示端排队的更正、撤下通知（尚未报送的）和已报送后被撤销的记录汇成一个更正报送批次，"
    "经配置的通道报送（投递目录或 HTTP），并在通知上记录报送时间和批次。"
)


def register(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    schedule, _ = CrontabSchedule.objects.get_or_create(timezone="Asia/Shanghai", **CRONTAB)
    PeriodicTask.objects.get_or_create(
        name=NAME, defaults={"task": TASK, "crontab": schedule, "enabled": True, "description": DESCRIPTION}
    )


def unregister(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0003_exportbatch_item_optional"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(register, unregister)]
