"""The beat entries follow two tasks to the app that owns their work: the daily expiry of records is credit's
(``credit.tasks.expire_records``, seeded by 0002 as a reporting task) and the semiannual reminders are reporting's
(``reporting.tasks.send_semiannual_reminders``, seeded by 0006 as a credit task). Schedules, names and any admin edits
of the entries are kept; only the task each runs is renamed."""

from django.db import migrations
from django.utils import timezone

RENAMED = {
    "reporting.tasks.expire_records": "credit.tasks.expire_records",
    "credit.tasks.send_semiannual_reminders": "reporting.tasks.send_semiannual_reminders",
}


def _rename(apps, renames: dict[str, str]) -> None:
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    changed = sum(PeriodicTask.objects.filter(task=old).update(task=new) for old, new in renames.items())
    if changed:
        # What the model's save() would do: tell a running beat to reload its schedule.
        PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def forwards(apps, schema_editor):
    _rename(apps, RENAMED)


def backwards(apps, schema_editor):
    _rename(apps, {new: old for old, new in RENAMED.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0009_delivery_settings_https_ascii_token"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
