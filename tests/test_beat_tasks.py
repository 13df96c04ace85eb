"""Every beat entry the migrations seed runs a task the worker knows: a task that moves to another app keeps its
schedule (the migrations rename the entry's task with it)."""

import pytest
from django_celery_beat.models import PeriodicTask

from config.celery import app

pytestmark = pytest.mark.django_db


def test_every_seeded_beat_entry_names_a_registered_task():
    app.loader.import_default_modules()  # the apps' tasks modules, as a worker loads them
    seeded = set(PeriodicTask.objects.exclude(task="celery.backend_cleanup").values_list("task", flat=True))
    assert seeded, "the migrations seed the schedules"
    assert seeded <= set(app.tasks), sorted(seeded - set(app.tasks))


def test_the_expiry_and_the_semiannual_reminders_run_in_the_apps_that_own_them():
    seeded = set(PeriodicTask.objects.values_list("task", flat=True))
    assert {"credit.tasks.expire_records", "reporting.tasks.send_semiannual_reminders"} <= seeded
    assert not {"reporting.tasks.expire_records", "credit.tasks.send_semiannual_reminders"} & seeded
