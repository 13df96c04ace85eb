"""One integration test with a real Celery worker on Redis and PostgreSQL: scheduled delivery, HTTP retry, once only."""

import os

import pytest
from celery.contrib.testing.worker import start_worker

from config.celery import app
from credit.models import Item
from reporting import tasks
from reporting.models import BatchKind, BatchStatus, ExportBatch
from reporting.services.batches import batch_create
from tests.reporting.fake_platform import FakePlatform

pytestmark = [
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def worker():
    url = os.environ["REDIS_URL"]
    saved = {k: app.conf[k] for k in ("broker_url", "result_backend", "task_always_eager")}
    app.conf.update(broker_url=url, result_backend=url, task_always_eager=False)
    app.loader.import_default_modules()
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            yield app
    finally:
        app.conf.update(saved)


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
    import time

    for _ in range(90):
        batch.refresh_from_db()
        if batch.status == BatchStatus.DELIVERED:
            break
        time.sleep(1)
    assert batch.status == BatchStatus.DELIVERED and batch.receipt == "RCPT-1" and batch.attempts == 2
    tasks.deliver_batch.delay(batch.pk).get(timeout=60)
    assert len(FakePlatform.received) == 1
