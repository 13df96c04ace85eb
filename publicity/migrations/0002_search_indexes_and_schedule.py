"""pg_trgm search on PostgreSQL, and the daily job that ends publicity periods.

On PostgreSQL: the pg_trgm extension (``TrigramExtension`` does nothing on other databases) and a GIN trigram index
on each public table's ``search_text``, so ``search_text LIKE '%南昌一中%'`` (Django ``__contains``) is served by the
index, Chinese included on a C.UTF-8 database. SQLite simply scans; nothing here runs there.
"""

import json

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

TABLES = [
    "publicity_publication",
    "publicity_licencedecision",
    "publicity_blacklistentry",
    "publicity_policydocument",
    "publicity_newsitem",
]

TASK_NAME = "公示：公示期满自动撤下"
TASK = "publicity.end_publications"


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {table}_search_trgm ON {table} USING gin (search_text gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search_trgm")


def register(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    schedule, _ = CrontabSchedule.objects.get_or_create(
        minute="10", hour="0", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai"
    )
    PeriodicTask.objects.update_or_create(
        name=TASK_NAME,
        defaults={
            "task": TASK,
            "crontab": schedule,
            "kwargs": json.dumps({}),
            "enabled": True,
            "description": "每日 00:10 将公示期满的行政处罚、有效期届满的红名单标记为期满；已撤销或已过期记录的公示撤下并生成更正报送。",
        },
    )


def unregister(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("publicity", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes),
        migrations.RunPython(register, unregister),
    ]
