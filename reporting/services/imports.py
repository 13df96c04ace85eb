"""Import jobs: a clerk's upload is checked at once, then validated and saved inline (small) or by a task (large)."""

from __future__ import annotations

import datetime
import logging
import tempfile

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditAction, AuditOutcome
from audit.services import audit_log
from core.errors import ForbiddenError
from credit.models import Item, Office
from credit.services.records import clerk_offices_for
from reporting.imports import ImportRejected, RecordImporter, RecordUpdater, write_error_copy
from reporting.models import ImportJob, ImportMode, ImportOutcome, ImportStatus
from reporting.xlsx_safety import UnsafeWorkbook, check_xlsx

logger = logging.getLogger(__name__)


def import_job_create(
    *,
    user,
    item: Item,
    office: Office,
    data: bytes,
    original_name: str = "",
    submit: bool = False,
    mode: str = ImportMode.CREATE,
    request=None,
) -> ImportJob:
    """Store an upload as an import job after the file-level checks; run it now if small, else in the background.

    ``mode``: ``create`` (new records) or ``update`` (更新已有记录: each row updates the record it names, through the
    same correction services as the record page; ``reporting.imports.updater``).

    Raises ImportRejected (on ``file``, 400) when the file is not an acceptable .xlsx, ForbiddenError (on ``office``,
    403) when the clerk may not report the item through ``office``.
    """
    if not any(o.pk == office.pk for o in clerk_offices_for(user, item)):
        raise ForbiddenError(
            {
                "office": [
                    _("报送处室：您不能以“%(office)s”的名义报送“%(item)s”。")
                    % {"office": office.name, "item": item.name}
                ]
            }
        )
    try:
        check_xlsx(data)
    except UnsafeWorkbook as exc:
        audit_log(
            request=request,
            user=user,
            action=AuditAction.IMPORT,
            obj=item,
            outcome=AuditOutcome.FAILURE,
            detail={"item": item.no, "office": office.code, "rows": 0, "errors": 1, "reason": str(exc)[:500]},
        )
        raise ImportRejected(str(exc)) from exc
    job = ImportJob(
        item=item, office=office, created_by=user, original_name=original_name[:200], submit=submit, mode=mode
    )
    job.file.save("upload.xlsx", ContentFile(data), save=False)
    job.save()
    if len(data) <= settings.REPORTING_IMPORT_INLINE_BYTES:
        import_job_run(job_id=job.pk, request=request)
        job.refresh_from_db()
    else:
        from reporting.tasks import run_import_job

        transaction.on_commit(lambda: run_import_job.delay(job.pk))
    return job


def import_job_run(*, job_id: int, request=None) -> ImportJob:
    """Validate and (if every row is valid) save the job's file; the job's status tells the outcome."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportStatus.PENDING).update(
        status=ImportStatus.RUNNING, progress=1
    )
    job = ImportJob.objects.select_related("item", "office", "created_by").get(pk=job_id)
    if not claimed:
        return job

    def progress(done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job_id).update(progress=max(1, int(done * 90 / max(total, 1))), total_rows=total)

    importer_class = RecordUpdater if job.mode == ImportMode.UPDATE else RecordImporter
    importer = importer_class(
        item=job.item,
        office=job.office,
        user=job.created_by,
        submit=job.submit,
        progress=progress,
        job=job,
        request=request,
    )
    try:
        with job.file.open("rb") as fh:
            data = fh.read()
        result = importer.run(data)
    except Exception:
        logger.exception("import job %s failed", job_id)
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportStatus.FAILED, finished_at=timezone.now(), message=_("处理出错，请联系系统管理员。")
        )
        audit_log(
            request=request,
            user=job.created_by,
            action=AuditAction.IMPORT,
            obj=job,
            outcome=AuditOutcome.FAILURE,
            detail={"item": job.item.no, "office": job.office.code, "rows": 0, "errors": 1, "reason": "exception"},
        )
        raise
    job.total_rows = result.total_rows
    job.finished_at = timezone.now()
    job.progress = 100
    if result.message:
        job.status, job.message = ImportStatus.INVALID, result.message
    elif result.errors:
        job.status = ImportStatus.INVALID
        if job.mode == ImportMode.UPDATE:
            text = _("共 %(rows)s 行，发现 %(n)s 处错误，未更新任何记录。请按错误明细修改后重新上传。")
        else:
            text = _("共 %(rows)s 行，发现 %(n)s 处错误，未导入任何记录。请按错误明细修改后重新上传。")
        job.message = text % {"rows": result.total_rows, "n": len(result.errors)}
        job.errors = [error.as_dict() for error in result.errors]
        with tempfile.TemporaryFile() as fh:
            write_error_copy(
                fh, item=job.item, rows=result.rows, errors=result.errors, read=result.read, leading=result.leading
            )
            fh.seek(0)
            job.error_file.save("errors.xlsx", File(fh), save=False)
    elif job.mode == ImportMode.UPDATE:
        job.status = ImportStatus.SUCCEEDED
        job.updated = result.updated
        review = sum(1 for entry in result.updated if entry["outcome"] in ImportOutcome.to_review())
        job.message = _("已更新 %(n)s 条记录。") % {"n": len(result.updated)}
        if review:
            job.message += _(
                "其中 %(n)s 条已送审核（提交、重新提交或变更申请）；已通过记录的变更在审核通过后才生效。"
            ) % {"n": review}
    else:
        job.status = ImportStatus.SUCCEEDED
        job.created_count = len(result.records)
        job.message = _("已导入 %(n)s 条记录。") % {"n": job.created_count}
    job.save()
    return job


def import_jobs_fail_stale(*, job_id: int | None = None) -> int:
    """Mark as failed the import jobs still waiting or running ``REPORTING_IMPORT_STALE_SECONDS`` after their upload
    (all of them, or only ``job_id``); returns how many.

    A worker that dies mid-import (killed, out of memory) never finishes its job, which would otherwise show
    "处理中" for ever. Should the worker still finish, its outcome overwrites this one.
    """
    cutoff = timezone.now() - datetime.timedelta(seconds=settings.REPORTING_IMPORT_STALE_SECONDS)
    stale = ImportJob.objects.filter(status__in=[ImportStatus.PENDING, ImportStatus.RUNNING], created_at__lt=cutoff)
    if job_id is not None:
        stale = stale.filter(pk=job_id)
    return stale.update(
        status=ImportStatus.FAILED,
        finished_at=timezone.now(),
        message=_(
            "处理中断：该文件上传后超过 %(minutes)s 分钟仍未处理完（处理进程可能已异常退出），未导入任何记录。"
            "请重新上传；如再次出现，请联系系统管理员。"
        )
        % {"minutes": settings.REPORTING_IMPORT_STALE_SECONDS // 60},
    )
