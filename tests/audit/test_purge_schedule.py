import pytest
from django_celery_beat.models import PeriodicTask

from config.celery import app


@pytest.mark.django_db
def test_audit_purge_is_scheduled_daily_and_the_task_exists():
    task = PeriodicTask.objects.get(task="audit.purge")
    assert task.enabled and task.crontab.hour == "3" and task.crontab.day_of_month == "*"
    app.loader.import_default_modules()  # what a worker does at start: autodiscover every app's tasks
    assert "audit.purge" in app.tasks
