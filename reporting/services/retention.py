"""Retention of the files that hold personal data (保留期限): kept import uploads, error copies and delivered batches.

After ``FILE_RETENTION_DAYS`` (default 90) the files are deleted; the rows stay. An import job keeps its status,
counts and error list; a batch keeps its SHA-256, size, row count, receipt and delivery history (the ledger), and
records ``purged_at``. A batch file is deleted only once the platform acknowledged it (delivered, with a receipt):
a pending, failed or unacknowledged batch may still have to be sent or uploaded by hand. Every deletion is audited.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from audit.models import AuditAction
from audit.services import audit_log
from reporting.models import BatchStatus, ExportBatch, ImportJob, ImportStatus

logger = logging.getLogger(__name__)

RETENTION_REASON = "retention"


@dataclass(frozen=True)
class PurgeResult:
    import_jobs: int
    batches: int


def _delete(field_file) -> None:
    """Delete the stored file (already gone is fine: the row is marked all the same)."""
    if field_file:
        field_file.storage.delete(field_file.name)


def retention_cutoff(now: datetime.datetime | None = None) -> datetime.datetime:
    return (now or timezone.now()) - datetime.timedelta(days=settings.FILE_RETENTION_DAYS)


def expired_import_jobs(cutoff: datetime.datetime):
    """Finished import jobs uploaded before ``cutoff`` that still have an upload or error copy on disk."""
    return ImportJob.objects.filter(
        created_at__lt=cutoff,
        files_purged_at__isnull=True,
        status__in=[ImportStatus.INVALID, ImportStatus.SUCCEEDED, ImportStatus.FAILED],
    ).order_by("pk")


def expired_batches(cutoff: datetime.datetime):
    """Batches the platform acknowledged (delivered, with a receipt) before ``cutoff`` whose file is still kept."""
    return (
        ExportBatch.objects.filter(
            status=BatchStatus.DELIVERED, delivered_at__lt=cutoff, purged_at__isnull=True, file__gt=""
        )
        .exclude(receipt="")
        .order_by("pk")
    )


def _purge_import_job(job_id: int, now: datetime.datetime) -> bool:
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().filter(pk=job_id, files_purged_at__isnull=True).first()
        if job is None:
            return False
        names = {"upload": job.file.name, "error_copy": job.error_file.name}
        _delete(job.file)
        _delete(job.error_file)
        job.file, job.error_file, job.files_purged_at = "", "", now
        job.save(update_fields=["file", "error_file", "files_purged_at"])
        audit_log(
            action=AuditAction.DELETE,
            obj=job,
            detail={
                "reason": RETENTION_REASON,
                "retention_days": settings.FILE_RETENTION_DAYS,
                "files": [kind for kind, name in names.items() if name],
                "item": job.item.no,
            },
        )
    return True


def _purge_batch(batch_id: int, now: datetime.datetime) -> bool:
    with transaction.atomic():
        batch = ExportBatch.objects.select_for_update().filter(pk=batch_id, purged_at__isnull=True).first()
        if batch is None or batch.status != BatchStatus.DELIVERED or not batch.receipt:
            return False
        _delete(batch.file)
        batch.file, batch.purged_at = "", now
        batch.save(update_fields=["file", "purged_at"])
        audit_log(
            action=AuditAction.DELETE,
            obj=batch,
            detail={
                "reason": RETENTION_REASON,
                "retention_days": settings.FILE_RETENTION_DAYS,
                "files": ["batch"],
                "sha256": batch.sha256,
                "size": batch.file_size,
                "rows": batch.row_count,
                "receipt": batch.receipt,
            },
        )
    return True


def files_purge_expired(*, now: datetime.datetime | None = None) -> PurgeResult:
    """Delete the import uploads, error copies and acknowledged batch files older than the retention period."""
    now = now or timezone.now()
    cutoff = retention_cutoff(now)
    jobs = sum(_purge_import_job(pk, now) for pk in expired_import_jobs(cutoff).values_list("pk", flat=True).iterator())
    batches = sum(_purge_batch(pk, now) for pk in expired_batches(cutoff).values_list("pk", flat=True).iterator())
    if jobs or batches:
        logger.info("retention: deleted the files of %s import jobs and %s batches", jobs, batches)
    return PurgeResult(import_jobs=jobs, batches=batches)
