"""Beat entry: the aggregates (统计底表) recounted from the records every night at 03:30 (Asia/Shanghai)."""

from django.db import migrations

NAME = "oversight: 统计底表夜间重算"
TASK = "oversight.rebuild_aggregates"


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    schedule, _ = CrontabSchedule.objects.get_or_create(
        timezone="Asia/Shanghai", minute="30", hour="3", day_of_week="*", day_of_month="*", month_of_year="*"
    )
    PeriodicTask.objects.update_or_create(
        name=NAME, defaults={"task": TASK, "crontab": schedule, "enabled": True, "description": NAME}
    )


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("oversight", "0006_office_item_month_aggregates")]

    operations = [migrations.RunPython(create, remove)]
