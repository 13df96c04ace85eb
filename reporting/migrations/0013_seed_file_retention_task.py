"""Seed the daily retention purge of files holding personal data (03:30 Beijing time); editable in the admin."""

from django.db import migrations

NAME = "保留期限：删除过期的导入文件与已回执批次文件"
TASK = "reporting.tasks.purge_expired_files"
TIMEZONE = "Asia/Shanghai"
DESCRIPTION = (
    "每天 03:30 删除上传超过 FILE_RETENTION_DAYS 天（默认 90 天）的批量导入上传文件与错误标注文件，"
    "以及报送并取得平台回执号超过该天数的批次文件；台账保留哈希、大小、记录数与回执号，每次删除记入审计日志。"
)


def register(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    schedule, _ = CrontabSchedule.objects.get_or_create(
        minute="30", hour="3", day_of_month="*", month_of_year="*", day_of_week="*", timezone=TIMEZONE
    )
    PeriodicTask.objects.get_or_create(
        name=NAME, defaults={"task": TASK, "crontab": schedule, "enabled": True, "description": DESCRIPTION}
    )


def unregister(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0012_files_at_rest_encryption_and_retention"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(register, unregister)]
