"""The integration tests with a real Celery worker on Redis and PostgreSQL: scheduled delivery, HTTP retry, once only;
decisions approved today in the next scheduled run's delivery, once."""

import datetime
import json
import os
import time
import uuid
import zoneinfo

import kombu.pools
import pytest
from celery.contrib.testing.worker import start_worker
from celery.schedules import crontab
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from config.celery import app
from credit.models import Item
from reporting import tasks
from reporting.models import BatchDecision, BatchFormat, BatchKind, BatchStatus, ExportBatch
from reporting.services.batches import batch_create
from reporting.simulator import PlatformSimulator
from tests.factories.publicity import BlackListEntryFactory, LicenceFactory
from tests.reporting.fake_platform import FakePlatform

pytestmark = [
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WAIT = 90  # seconds a task may take on a loaded machine before the test gives up (not a speed target)


def _reset_broker_connections():
    # The app keeps a connection pool made with the settings of its first use; a test changes them.
    kombu.pools.reset()
    app.close()
    app.amqp._producer_pool = None


@pytest.fixture
def worker():
    """A worker thread of the project's app consuming from the real Redis broker (REDIS_URL).

    Its keys are prefixed with a name of this test alone: under ``pytest -n 2`` both xdist processes share CI's Redis
    database, and a worker must never take a task the other process sent (it would run it against the other's test
    database), nor a message an earlier, interrupted run left behind."""
    url = os.environ["REDIS_URL"]
    keys = (
        "broker_url",
        "result_backend",
        "task_always_eager",
        "broker_transport_options",
        "result_backend_transport_options",
    )
    saved = {k: app.conf[k] for k in keys}
    prefix = {"global_keyprefix": f"nc-test-{os.getpid()}-{uuid.uuid4().hex[:8]}:"}
    app.conf.update(
        broker_url=url,
        result_backend=url,
        task_always_eager=False,
        broker_transport_options=prefix,
    )
    _reset_broker_connections()
    app.loader.import_default_modules()
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            yield app
    finally:
        app.conf.update(saved)
        _reset_broker_connections()


def _wait_until_delivered(batch_ids) -> list[ExportBatch]:
    deadline = time.monotonic() + WAIT
    while True:
        batches = list(ExportBatch.objects.filter(pk__in=batch_ids).order_by("pk"))
        if all(b.status == BatchStatus.DELIVERED for b in batches) or time.monotonic() > deadline:
            return batches
        time.sleep(0.5)


def test_scheduled_delivery_lands_in_drop_folder_once(make_records, settings, worker):
    make_records(1, 3)
    first = tasks.deliver_incremental.delay(item_no=1)
    first.get(timeout=60)
    second = tasks.deliver_incremental.delay(item_no=1)  # the schedule fires twice
    second.get(timeout=60)
    batch = ExportBatch.objects.get()
    tasks.deliver_batch.delay(batch.pk).get(timeout=60)  # and the delivery task runs again
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DELIVERED and batch.attempts == 1
    assert [p.name for p in settings.REPORTING_DROP_DIR.iterdir()] == [batch.receipt]


def test_http_delivery_retries_on_500_and_stores_receipt(make_records, settings, worker, platform):
    settings.REPORTING_TRANSPORT = "http"
    settings.REPORTING_HTTP_URL = f"http://127.0.0.1:{platform.server_port}/upload"
    settings.REPORTING_HTTP_TOKEN = "s3cret"
    FakePlatform.answers = [500, 200]
    make_records(8, 2)
    batch = batch_create(item=Item.objects.get(no=8), kind=BatchKind.INCREMENTAL)
    result = tasks.deliver_batch.delay(batch.pk)
    result.get(timeout=90, propagate=False)
    (batch,) = _wait_until_delivered([batch.pk])
    assert batch.status == BatchStatus.DELIVERED and batch.receipt == "RCPT-1" and batch.attempts == 2
    tasks.deliver_batch.delay(batch.pk).get(timeout=60)
    assert len(FakePlatform.received) == 1


@pytest.fixture
def simulator(settings):
    """The platform simulator (``reporting.simulator``) over real HTTP on the loopback interface."""
    simulator = PlatformSimulator(token="sim-token")
    server = simulator.serve("127.0.0.1", 0)
    settings.REPORTING_DELIVERY_TEST_LOOPBACK = True
    settings.REPORTING_TRANSPORT = "http"
    settings.REPORTING_HTTP_URL = f"http://127.0.0.1:{server.server_address[1]}/upload"
    settings.REPORTING_HTTP_TOKEN = "sim-token"
    yield simulator
    server.shutdown()
    server.server_close()


def _next_run(entry: PeriodicTask, after: datetime.datetime) -> tuple[datetime.datetime, datetime.datetime]:
    """(the entry's last run at or before ``after``, its first run after it) of a daily crontab entry, in its zone."""
    zone = zoneinfo.ZoneInfo(str(entry.crontab.timezone))
    local = after.astimezone(zone)
    at = datetime.time(int(entry.crontab.hour), int(entry.crontab.minute))
    last = datetime.datetime.combine(local.date(), at, tzinfo=zone)
    if last > local:
        last -= datetime.timedelta(days=1)
    return last, last + datetime.timedelta(days=1)


def test_licence_and_blacklist_decision_approved_today_go_in_the_next_scheduled_delivery_once(
    worker, simulator, reviewer
):
    licence = LicenceFactory(name="南昌市晨光培训学校", reviewer=reviewer)
    entry = BlackListEntryFactory(reviewer=reviewer)
    approved_at = timezone.now()

    # The daily delivery's beat entry, as the migrations seeded it, is due at its next run after the approvals
    # (tomorrow, unless they were approved before today's run time) and not before: the schedule gets the "now".
    beat = PeriodicTask.objects.get(task="reporting.tasks.deliver_incremental", enabled=True)
    last_run, run_at = _next_run(beat, approved_at)
    fields = beat.crontab
    schedule = crontab(
        minute=fields.minute,
        hour=fields.hour,
        day_of_month=fields.day_of_month,
        month_of_year=fields.month_of_year,
        day_of_week=fields.day_of_week,
        app=app,
    )
    schedule.tz = zoneinfo.ZoneInfo(str(fields.timezone))
    schedule.nowfun = lambda: run_at - datetime.timedelta(minutes=1)
    assert not schedule.is_due(last_run).is_due
    schedule.nowfun = lambda: run_at
    assert schedule.is_due(last_run).is_due
    assert run_at.date() - approved_at.astimezone(run_at.tzinfo).date() <= datetime.timedelta(days=1)

    # What beat sends at that time, through the broker to the worker.
    def scheduled_run() -> list[int]:
        task = app.tasks[beat.task]
        return task.apply_async(args=json.loads(beat.args or "[]"), kwargs=json.loads(beat.kwargs or "{}")).get(
            timeout=WAIT
        )

    created = scheduled_run()
    batches = _wait_until_delivered(created)
    assert all(b.status == BatchStatus.DELIVERED and b.delivered_via == "http" for b in batches), [
        (b.pk, b.status, b.outcome) for b in batches
    ]
    by_format = {b.format: b for b in batches}
    licences, blacklist = by_format[BatchFormat.LICENCE_MUNICIPAL], by_format[BatchFormat.BLACKLIST]
    assert list(licences.decision_lines.values_list("licence_id", flat=True)) == [licence.pk]
    assert list(blacklist.decision_lines.values_list("blacklist_entry_id", flat=True)) == [entry.pk]
    assert licences.row_count == 1 and blacklist.row_count == 1
    # The platform received each decision batch once.
    uploads = [upload["batch_id"] for upload in simulator.received]
    assert uploads.count(licences.pk) == 1 and uploads.count(blacklist.pk) == 1
    assert licences.receipt.startswith(f"SIM-{licences.pk}-") and blacklist.receipt.startswith(f"SIM-{blacklist.pk}-")

    # The next day's run finds nothing new: no batch, no upload, each decision carried once.
    received = len(simulator.received)
    assert scheduled_run() == []
    assert len(simulator.received) == received
    assert BatchDecision.objects.filter(licence=licence).count() == 1
    assert BatchDecision.objects.filter(blacklist_entry=entry).count() == 1
