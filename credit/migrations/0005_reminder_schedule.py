"""Register the daily reminder task in django-celery-beat (08:00 Beijing time); editable in the admin afterwards."""

import json

from django.db import migrations

TASK_NAME = "信用记录到期与逾期提醒"
TASK = "credit.tasks.send_record_reminders"


def register(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    schedule, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="8", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai"
    )
    PeriodicTask.objects.update_or_create(
        name=TASK_NAME,
        defaults={
            "task": TASK,
            "crontab": schedule,
            "kwargs": json.dumps({"days": 3}),
            "enabled": True,
            "description": "每日 08:00 提醒各处室 3 个工作日内到期及已逾期未报送的记录（工作台通知和电子邮件，每条只发一次）。",
        },
    )


def unregister(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("credit", "0004_lifecycle_events_changes_notices"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(register, unregister)]
