"""An import job whose worker died (killed, out of memory) does not stay "处理中" for ever: past the timeout it is
marked failed, by the beat task or when the clerk opens it, and its page tells the clerk to upload again."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from credit.models import Item, Office
from reporting import tasks
from reporting.models import ImportJob, ImportStatus

pytestmark = pytest.mark.django_db


def _job(clerk, *, status: str, age: datetime.timedelta) -> ImportJob:
    return ImportJob.objects.create(
        item=Item.objects.get(no=8),
        office=Office.objects.get(code="zuren"),
        created_by=clerk,
        file="reporting/imports/upload.xlsx",
        status=status,
        progress=1,
        created_at=timezone.now() - age,
    )


def test_the_beat_task_fails_jobs_stuck_past_the_timeout_and_leaves_fresh_ones(clerk, settings):
    settings.REPORTING_IMPORT_STALE_SECONDS = 3600
    stale_running = _job(clerk, status=ImportStatus.RUNNING, age=datetime.timedelta(minutes=61))
    stale_pending = _job(clerk, status=ImportStatus.PENDING, age=datetime.timedelta(minutes=61))
    fresh = _job(clerk, status=ImportStatus.RUNNING, age=datetime.timedelta(minutes=59))
    done = _job(clerk, status=ImportStatus.SUCCEEDED, age=datetime.timedelta(days=2))

    assert tasks.fail_stale_import_jobs() == 2

    for job in (stale_running, stale_pending):
        job.refresh_from_db()
        assert job.status == ImportStatus.FAILED and job.finished_at is not None
        assert "60 分钟" in job.message and "请重新上传" in job.message
    fresh.refresh_from_db()
    assert fresh.status == ImportStatus.RUNNING and fresh.message == ""
    done.refresh_from_db()
    assert done.status == ImportStatus.SUCCEEDED


def test_the_beat_entry_is_seeded():
    entry = PeriodicTask.objects.get(task="reporting.tasks.fail_stale_import_jobs")
    assert entry.enabled and entry.interval is not None


def test_the_clerk_opening_a_stuck_job_sees_it_failed_with_the_way_forward(client, clerk, settings):
    settings.REPORTING_IMPORT_STALE_SECONDS = 3600
    job = _job(clerk, status=ImportStatus.RUNNING, age=datetime.timedelta(hours=3))
    client.force_login(clerk)

    status = client.get(reverse("reporting:import-status", args=[job.pk])).json()
    assert status["status"] == "failed" and status["finished"] and "请重新上传" in status["message"]

    page = client.get(reverse("reporting:import-detail", args=[job.pk]))
    body = page.content.decode()
    assert "请重新上传" in body and reverse("reporting:import-create") + "?item=8" in body
    assert 'id="import-progress"' not in body


def test_a_running_job_within_the_timeout_keeps_its_progress_bar(client, clerk):
    job = _job(clerk, status=ImportStatus.RUNNING, age=datetime.timedelta(minutes=1))
    client.force_login(clerk)
    page = client.get(reverse("reporting:import-detail", args=[job.pk]))
    assert 'id="import-progress"' in page.content.decode()
    job.refresh_from_db()
    assert job.status == ImportStatus.RUNNING
