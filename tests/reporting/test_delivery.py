"""The ledger and delivery: incremental selection by version, at-most-once delivery, retries, failure."""

import hashlib

import pytest
from django.utils import timezone

from credit import tasks as credit_tasks
from credit.models import Item
from credit.registry import model_for_item
from reporting import tasks
from reporting.models import BatchKind, BatchRecord, BatchStatus, ExportBatch
from reporting.services.batches import batch_create, batch_deliver
from reporting.transports import HttpTransport, TransportError
from tests.reporting.fake_platform import FakePlatform

pytestmark = pytest.mark.django_db


def test_batch_records_file_hash_and_versions(make_records):
    records = make_records(2, 3)
    batch = batch_create(item=Item.objects.get(no=2), kind=BatchKind.FULL)
    assert batch.row_count == 3
    assert batch.sha256 == hashlib.sha256(batch.file.read()).hexdigest()
    assert f"batch-{batch.pk:08d}-{batch.sha256[:16]}" in batch.file.name
    assert {(line.record_id, line.record_version) for line in batch.lines.all()} == {(r.pk, r.version) for r in records}
    again = batch_create(item=Item.objects.get(no=2), kind=BatchKind.FULL)
    assert again.sha256 == batch.sha256  # same content, byte-identical file


def test_incremental_takes_new_and_changed_versions_only(make_records):
    item = Item.objects.get(no=8)
    first = make_records(8, 2)
    batch = batch_create(item=item, kind=BatchKind.INCREMENTAL)
    assert batch.row_count == 2
    assert batch_create(item=item, kind=BatchKind.INCREMENTAL) is None
    model_for_item(8).objects.filter(pk=first[0].pk).update(version=5)  # changed after approval
    make_records(8, 1, start=10)  # newly approved
    second = batch_create(item=item, kind=BatchKind.INCREMENTAL)
    assert second.row_count == 2
    assert BatchRecord.objects.filter(record_id=first[0].pk).count() == 2


def test_daily_task_delivers_once_to_drop_folder(make_records, settings):
    make_records(1, 2)
    tasks.deliver_incremental.delay(item_no=1)
    tasks.deliver_incremental.delay(item_no=1)
    batch = ExportBatch.objects.get()
    assert batch.status == BatchStatus.DELIVERED and batch.attempts == 1
    files = list(settings.REPORTING_DROP_DIR.iterdir())
    assert [f.name for f in files] == [batch.receipt]
    assert hashlib.sha256(files[0].read_bytes()).hexdigest() == batch.sha256
    tasks.deliver_batch.delay(batch.pk)
    batch.refresh_from_db()
    assert batch.attempts == 1


def test_stale_claim_of_a_dead_worker_is_taken_over(make_records, settings):
    make_records(1, 1)
    batch = batch_create(item=Item.objects.get(no=1), kind=BatchKind.FULL)
    ExportBatch.objects.filter(pk=batch.pk).update(
        status=BatchStatus.DELIVERING, claimed_at=timezone.now() - timezone.timedelta(hours=1)
    )
    batch_deliver(batch_id=batch.pk)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DELIVERED
    assert len(list(settings.REPORTING_DROP_DIR.iterdir())) == 1


def test_fresh_claim_is_not_taken(make_records):
    make_records(1, 1)
    batch = batch_create(item=Item.objects.get(no=1), kind=BatchKind.FULL)
    ExportBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.DELIVERING, claimed_at=timezone.now())
    assert batch_deliver(batch_id=batch.pk).status == BatchStatus.DELIVERING


class _FailingTransport:
    name = "test"

    def deliver(self, batch, path):
        raise TransportError("平台维护中")


def test_failure_after_last_retry_marks_failed(make_records, monkeypatch):
    make_records(2, 1)
    monkeypatch.setattr("reporting.services.batches.get_transport", lambda: _FailingTransport())
    monkeypatch.setitem(tasks.deliver_batch.app.conf, "task_eager_propagates", False)  # let in-process retries run
    tasks.deliver_incremental.delay(item_no=2)
    batch = ExportBatch.objects.get()
    assert batch.status == BatchStatus.FAILED
    assert batch.attempts == tasks.deliver_batch.max_retries + 1
    assert "平台维护中" in batch.outcome


def test_http_transport_retries_500_then_stores_receipt(make_records, settings, platform):
    settings.REPORTING_TRANSPORT = "http"
    settings.REPORTING_HTTP_URL = f"http://127.0.0.1:{platform.server_port}/upload"
    settings.REPORTING_HTTP_TOKEN = "s3cret"
    FakePlatform.answers = [500, 200]
    make_records(8, 2)
    tasks.deliver_incremental.delay(item_no=8)
    batch = ExportBatch.objects.get()
    assert batch.status == BatchStatus.DELIVERED and batch.receipt == "RCPT-1" and batch.attempts == 2
    assert len(FakePlatform.received) == 1


def test_http_transport_needs_url(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.REPORTING_HTTP_URL = ""
    with pytest.raises(ImproperlyConfigured):
        HttpTransport()


def test_expiry_task_calls_records_expire(make_records):
    records = make_records(8, 1)
    model_for_item(8).objects.filter(pk=records[0].pk).update(
        validity_end=timezone.localdate() - timezone.timedelta(days=1)
    )
    assert credit_tasks.expire_records.delay().get() == 1


def test_periodic_tasks_are_seeded():
    from django_celery_beat.models import PeriodicTask

    seeded = set(PeriodicTask.objects.values_list("task", flat=True))
    assert {
        "reporting.tasks.deliver_incremental",
        "reporting.tasks.deliver_semiannual",
        "credit.tasks.expire_records",
    } <= seeded


def test_the_next_incremental_takes_what_changed_or_failed_since_the_last(make_records):
    # The selection looks only at what is new since the item's last incremental batch
    # (reporting.selectors.last_selection_at): records approved or changed since, and those of a batch failed since.
    item = Item.objects.get(no=8)
    long_ago = timezone.now() - timezone.timedelta(days=3)
    delivered, lost = make_records(8, 2)
    first = batch_create(item=item, kind=BatchKind.INCREMENTAL)
    model_for_item(8).objects.update(updated_at=long_ago)
    ExportBatch.objects.filter(pk=first.pk).update(created_at=long_ago, status=BatchStatus.DELIVERED)
    BatchRecord.objects.filter(batch=first, record=lost).delete()
    failed = batch_create(item=item, kind=BatchKind.INCREMENTAL)  # carries ``lost`` again, then fails
    assert {line.record_id for line in failed.lines.all()} == {lost.pk}
    ExportBatch.objects.filter(pk=failed.pk).update(  # made two days ago, failed yesterday
        created_at=timezone.now() - timezone.timedelta(days=2),
        status=BatchStatus.FAILED,
        last_attempt_at=timezone.now() - timezone.timedelta(days=1),
    )
    (new,) = make_records(8, 1, start=10)

    batch = batch_create(item=item, kind=BatchKind.INCREMENTAL)
    assert {line.record_id for line in batch.lines.all()} == {lost.pk, new.pk}
    assert batch_create(item=item, kind=BatchKind.INCREMENTAL) is None
