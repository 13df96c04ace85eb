"""Seed the reading of the platform's feedback files (every 15 minutes); editable in the admin afterwards."""

from django.db import migrations

NAME = "报送：读取市平台反馈文件"
TASK = "reporting.tasks.collect_feedback"
EVERY_MINUTES = 15
DESCRIPTION = (
    "每 15 分钟读取市平台在投递目录中批次文件旁留下的反馈文件（逐行入库/问题数据结果），"
    "被拒收的记录进入报送处室的问题数据队列。"
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
        ("reporting", "0015_platform_row_feedback"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(register, unregister)]
