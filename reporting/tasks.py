"""Scheduled and background work of the reporting app (Celery; schedules seeded into django-celery-beat)."""

from __future__ import annotations

import logging

from celery import shared_task
from celery.exceptions import Retry
from celery.utils.time import get_exponential_backoff_interval
from django.db import OperationalError

from credit.catalog import SEMIANNUAL, ItemSpec
from credit.models import Item
from reporting.models import BatchKind
from reporting.selectors import batches_to_dispatch
from reporting.services import batches as batch_services
from reporting.services.imports import import_job_run, import_jobs_fail_stale
from reporting.services.reminders import semiannual_reminders_send
from reporting.services.retention import files_purge_expired
from reporting.transports import TransportError, delivery_config

logger = logging.getLogger(__name__)

RETRY_BACKOFF_MAX = 3600  # seconds: the longest wait between two delivery attempts


@shared_task(bind=True, max_retries=5)
def deliver_batch(self, batch_id: int) -> str:
    """Deliver one batch (at most once: see ``batch_deliver``), retried with exponential back-off as many times as the
    delivery settings say (``delivery_config().retries``); after the last retry the batch is marked failed."""
    retries = delivery_config().retries
    try:
        batch = batch_services.batch_deliver(batch_id=batch_id)
    except TransportError as exc:
        if self.request.retries >= retries:
            batch_services.batch_mark_failed(batch_id=batch_id, reason=str(exc))
            raise
        countdown = get_exponential_backoff_interval(
            factor=1, retries=self.request.retries, maximum=RETRY_BACKOFF_MAX, full_jitter=True
        )
        raise self.retry(exc=exc, countdown=countdown, max_retries=retries) from exc
    return batch.status


@shared_task(bind=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def deliver_incremental(self, item_no: int | None = None) -> list[int]:
    """Daily: per item, a batch of records approved or changed since they were last carried; then deliver."""
    items = Item.objects.all() if item_no is None else Item.objects.filter(no=item_no)
    created = []
    for item in items:
        batch = batch_services.batch_create(item=item, kind=BatchKind.INCREMENTAL, scope="每日增量")
        if batch is not None:
            created.append(batch.pk)
    if item_no is None:
        # Licensing and black-list decisions approved since the last run (Annex 2 indicator 3), same transport.
        created.extend(batch.pk for batch in batch_services.decision_batches_create())
    # Also every batch still waiting (a lost message, a worker that died mid-delivery): the claim keeps it single.
    for batch_id in batches_to_dispatch().values_list("pk", flat=True):
        dispatch_delivery(batch_id)
    return created


def dispatch_delivery(batch_id: int) -> None:
    # With a broker this only enqueues. Run in-process (no REDIS_URL), a failing delivery raises here: its outcome is
    # on the batch already, and it must not stop the other items' batches.
    try:
        if deliver_batch.app.conf.task_always_eager:
            deliver_batch.apply(args=(batch_id,), throw=False)  # retries run in-process; the outcome is on the batch
        else:
            deliver_batch.delay(batch_id)
    except (TransportError, Retry) as exc:
        logger.warning("delivery of batch %s failed: %s", batch_id, exc)


@shared_task(bind=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def deliver_semiannual(self, item_no: int | None = None) -> list[int]:
    """Twice a year: the full report of a semiannual item (一年两次 in the catalogue), the one its beat entry names
    (``reporting.schedules``); without ``item_no`` (an entry seeded before entries named their item), of every
    semiannual item."""
    if item_no is not None:
        items = [Item.objects.get(no=item_no)]
    else:
        items = Item.objects.filter(no__in=[item.no for item in ItemSpec.items_with(deadline_kind=SEMIANNUAL)])
    created = []
    for item in items:
        batch = batch_services.batch_create(item=item, kind=BatchKind.SEMIANNUAL, scope="半年全量报送")
        dispatch_delivery(batch.pk)
        created.append(batch.pk)
    return created


@shared_task(bind=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def deliver_corrections(self) -> int | None:
    """Daily: the corrections queued by the publicity side and the revocations since delivery, in one batch."""
    from reporting.services.corrections import correction_batch_create, refused_fixed_batches_create

    # The records the platform refused (问题数据) and the office has fixed since: one 更正报送 batch per item.
    for fixed in refused_fixed_batches_create():
        dispatch_delivery(fixed.pk)
    batch = correction_batch_create()
    if batch is None:
        return None
    dispatch_delivery(batch.pk)
    return batch.pk


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def collect_feedback() -> dict:
    """Every few minutes: read the feedback files the platform left in the drop folder beside delivered batches
    (beat: migration 0016)."""
    from reporting.services.feedback import feedback_collect

    read = feedback_collect()
    return {str(pk): {"accepted": s.accepted, "refused": s.refused} for pk, s in read.items()}


@shared_task
def send_semiannual_reminders(days: int | None = None) -> dict:
    """Daily: remind the offices that owe a semiannual (一年两次) report for a period ending within ``days`` working
    days (default ``REMINDER_WORKING_DAYS``) or just ended, each notice once (beat: migrations 0006 and 0010)."""
    result = semiannual_reminders_send(days=days)
    return {"created": result.created, "emailed": result.emailed, "mails": result.mails}


@shared_task(bind=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def run_import_job(self, job_id: int) -> str:
    return import_job_run(job_id=job_id).status


@shared_task
def fail_stale_import_jobs() -> int:
    """Every few minutes: import jobs whose worker died are marked failed, so the clerk is told to upload again
    (beat: migration 0011)."""
    return import_jobs_fail_stale()


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def purge_expired_files() -> dict:
    """Daily: delete the import uploads, error copies and acknowledged batch files older than FILE_RETENTION_DAYS;
    the rows keep their metadata (beat: migration 0013)."""
    result = files_purge_expired()
    return {"import_jobs": result.import_jobs, "batches": result.batches}
