"""Seed the check for import jobs whose worker died (every 10 minutes); editable in the admin afterwards."""

from django.db import migrations

NAME = "导入：标记中断的批量导入"
TASK = "reporting.tasks.fail_stale_import_jobs"
EVERY_MINUTES = 10
DESCRIPTION = (
    "每 10 分钟把上传后超过 REPORTING_IMPORT_STALE_SECONDS 仍在等待或处理中的批量导入标记为失败"
    "（处理进程异常退出时），导入页提示经办人重新上传。"
)


def register(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    schedule, _ = IntervalSchedule.objects.get_or_create(every=EVERY_MINUTES, period="minutes")
    PeriodicTask.objects.get_or_create(
        name=NAME, defaults={"task": TASK, "interval": schedule, "enabled": True, "description": DESCRIPTION}
    )


def unregister(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0010_beat_task_names"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(register, unregister)]
