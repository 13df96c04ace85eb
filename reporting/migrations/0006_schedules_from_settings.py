"""Beat entries that follow the settings: the semiannual delivery derived from SEMIANNUAL_DUE_DATES (see
reporting/schedules.py), the record reminders reading REMINDER_WORKING_DAYS instead of a fixed ``days=3``, and the
daily semiannual reminders of offices that owe a period's report. Entries the admin has edited are left alone."""

import json

from django.db import migrations

from reporting.schedules import semiannual_schedule_sync

# The crontab 0002 seeded: replaced by the derived one unless the admin changed it since.
SEEDED_SEMIANNUAL = {"minute": "0", "hour": "2", "day_of_month": "20", "month_of_year": "6,12"}

REMINDER_TASK_NAME = "信用记录到期与逾期提醒"
SEEDED_REMINDER_KWARGS = {"days": 3}
REMINDER_DESCRIPTION = (
    "每日 08:00 提醒各处室 REMINDER_WORKING_DAYS 个工作日内（默认 3 个）到期及已逾期未报送的记录"
    "（工作台通知和电子邮件，每条只发一次）。"
)

SEMIANNUAL_REMINDER_NAME = "半年报送提醒"
SEMIANNUAL_REMINDER_TASK = "credit.tasks.send_semiannual_reminders"
SEMIANNUAL_REMINDER_DESCRIPTION = (
    "每日 08:05 提醒负责一年两次事项（事项 1）且本报送期尚未提交任何记录的处室：截止日前 REMINDER_WORKING_DAYS "
    "个工作日内提醒一次，上一报送期逾期未报再提醒一次（工作台和电子邮件，每个处室每期每类只发一次）。"
)


def forwards(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    semiannual_schedule_sync(CrontabSchedule, PeriodicTask, only_if_crontab=SEEDED_SEMIANNUAL)

    reminder = PeriodicTask.objects.filter(name=REMINDER_TASK_NAME).first()
    if reminder is not None and json.loads(reminder.kwargs or "{}") == SEEDED_REMINDER_KWARGS:
        reminder.kwargs = "{}"
        reminder.description = REMINDER_DESCRIPTION
        reminder.save(update_fields=["kwargs", "description"])

    schedule, _ = CrontabSchedule.objects.get_or_create(
        minute="5", hour="8", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai"
    )
    PeriodicTask.objects.get_or_create(
        name=SEMIANNUAL_REMINDER_NAME,
        defaults={
            "task": SEMIANNUAL_REMINDER_TASK,
            "crontab": schedule,
            "enabled": True,
            "description": SEMIANNUAL_REMINDER_DESCRIPTION,
        },
    )


def backwards(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=SEMIANNUAL_REMINDER_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0005_semiannual_notice"),
        ("credit", "0005_reminder_schedule"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
