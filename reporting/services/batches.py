"""Export batches (报送批次): create one with its file and ledger lines; deliver it at most once.

Delivery claims the batch with a conditional UPDATE (pending → delivering, or a delivering batch whose lease ran out
because its worker died), so two workers, or the same task run twice, never both deliver; the claim is released to
pending on a retryable failure and turns to failed after the last retry.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import tempfile

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role
from audit.models import AuditAction, AuditOutcome
from audit.services import audit_log
from core.errors import DomainError, StateError
from core.files import plaintext_copy
from core.scoping import require_role
from credit.models import Item
from credit.registry import model_for_item
from credit.services.publication_facts import records_mark_delivered
from publicity.models.blacklist import BlackListEntry, BlackListStatus
from publicity.models.licences import LicenceDecision, LicenceStatus
from reporting import double_publicity
from reporting.exporters import (
    BlackListExporter,
    DoublePublicityLicenceExporter,
    DoublePublicityPenaltyExporter,
    UploadTemplateExporter,
)
from reporting.models import BatchDecision, BatchFormat, BatchKind, BatchRecord, BatchStatus, ExportBatch
from reporting.selectors import CARRYING_STATUSES, MUNICIPAL_FORMATS, records_awaiting_delivery, records_reportable
from reporting.transports import TransportError, get_transport


class BatchError(DomainError):
    """A ledger action that cannot be done; the message is for the reviewer."""


class BatchStateError(BatchError, StateError):
    """The batch is no longer in a state that allows the action (delivered meanwhile, delivering, not failed)."""


def _sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def batch_file_store(batch: ExportBatch, exporter) -> None:
    """Write ``exporter``'s workbook to a temporary file, then store it (encrypted) as the batch's file with the
    SHA-256 and size of the workbook."""
    fd, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(fd)
    try:
        exporter.write(path)
        batch.sha256 = _sha256(path)  # of the plaintext workbook: what the platform receives and the ledger shows
        batch.file_size = os.path.getsize(path)
        with open(path, "rb") as fh:
            batch.file.save("batch.xlsx", File(fh), save=False)  # encrypted at rest (core.files), a chunk at a time
    finally:
        os.unlink(path)
    batch.save(update_fields=["sha256", "file_size", "file"])


def batch_export_audit(batch: ExportBatch, *, user, request=None, **detail) -> None:
    """The audit entry of a batch just written (every export is audited): its item, kind, format, rows and hash, and
    ``detail`` on top; a batch made by the schedule has no user."""
    detail = {
        "item": batch.item.no if batch.item_id else None,
        "kind": batch.kind,
        "format": batch.format,
        "rows": batch.row_count,
        "sha256": batch.sha256,
        "scheduled": user is None,
        **detail,
    }
    audit_log(request=request, user=user, action=AuditAction.EXPORT, obj=batch, detail=detail)


# The formats of a batch of an item's records. The licence and black-list files carry decisions, not records
# (``licence_batch_create``, ``decision_batches_create``).
ITEM_BATCH_FORMATS = (BatchFormat.UPLOAD_TEMPLATE, BatchFormat.DOUBLE_PUBLICITY)


def item_batch_format_error(*, item: Item, format: str) -> str | None:
    """Why ``item``'s records cannot make a batch of ``format`` (a message naming the field), or None when they can.

    A licence or black-list format for an item once gave a batch labelled as decisions whose file was the item's
    upload template; its record lines did not count as delivered, so the next incremental batch sent them again."""
    if format not in ITEM_BATCH_FORMATS:
        return _(
            "文件格式：“%(format)s”的批次不含信用信息事项的记录，不能为事项 %(no)s 生成；事项的记录只能生成"
            "上传模板或双公示国家标准（行政处罚事项）格式的批次。"
        ) % {"format": BatchFormat(format).label if format in BatchFormat.values else format, "no": item.no}
    if format == BatchFormat.DOUBLE_PUBLICITY and item.no not in double_publicity.PENALTY_SOURCE_FIELDS:
        return _("文件格式：双公示国家标准格式只适用于行政处罚事项（事项 %(items)s）。") % {
            "items": "、".join(str(no) for no in double_publicity.PENALTY_SOURCE_FIELDS)
        }
    return None


@transaction.atomic
def batch_create(
    *,
    item: Item,
    kind: str,
    user=None,
    records: QuerySet | None = None,
    format: str = BatchFormat.UPLOAD_TEMPLATE,
    scope: str = "",
    request=None,
) -> ExportBatch | None:
    """Select the item's records for a batch of ``kind``, write its file, and record which versions it carries.

    Incremental batches take the approved records whose current version no live batch carries, and are not created
    when there is nothing new (returns None); full and semiannual batches take every approved record; ``records``
    overrides the selection (corrections). A national 双公示 batch is refused (BatchError naming the records and the
    missing columns) when any of its rows lacks a column the standard requires; a format that is not an item's
    (``item_batch_format_error``) is refused before anything is written.
    """
    if error := item_batch_format_error(item=item, format=format):
        raise BatchError({"format": [error]})
    Item.objects.select_for_update().filter(pk=item.pk).first()  # one batch selection per item at a time
    if records is None:
        if kind == BatchKind.INCREMENTAL:
            records = records_awaiting_delivery(item, format)
        else:
            records = records_reportable(item)
    if format == BatchFormat.DOUBLE_PUBLICITY:
        # The standard refuses a penalty row without its required columns (see double_publicity.GAP_FIELDS): name the
        # records and what they lack instead of writing a file the provincial platform would reject.
        incomplete = DoublePublicityPenaltyExporter(item, records).incomplete_records()
        if incomplete:
            raise BatchError(double_publicity.describe_incomplete(incomplete))
    versions = list(records.order_by("pk").values_list("pk", "version"))
    if not versions and kind == BatchKind.INCREMENTAL:
        return None
    batch = ExportBatch.objects.create(
        item=item, kind=kind, format=format, scope=scope, created_by=user, row_count=len(versions)
    )
    BatchRecord.objects.bulk_create(
        [BatchRecord(batch=batch, record_id=pk, record_version=v) for pk, v in versions], batch_size=2000
    )
    carried = model_for_item(item.no).objects.filter(batch_links__batch=batch)
    if format == BatchFormat.DOUBLE_PUBLICITY:
        exporter = DoublePublicityPenaltyExporter(item, carried)
    else:
        exporter = UploadTemplateExporter(item, carried)
    batch_file_store(batch, exporter)
    batch_export_audit(batch, user=user, request=request)
    return batch


@transaction.atomic
def licence_batch_create(*, user, scope: str = "", request=None) -> ExportBatch:
    """A batch of every approved licensing decision (行政许可) in the national 双公示 licensing columns, for the
    provincial platform: recorded in the ledger (no item, no record lines), hashed, downloadable, never delivered to
    the municipal transport."""

    require_role(user, Role.REVIEWER)
    decisions = LicenceDecision.objects.filter(status=LicenceStatus.APPROVED)
    # Same lock as every other batch selection: a decision approved meanwhile is in this batch or the next, whole.
    list(Item.objects.select_for_update().order_by("pk").values_list("pk", flat=True)[:1])
    ids = list(decisions.order_by("pk").values_list("pk", flat=True))
    if not ids:
        raise BatchError(_("没有已通过的行政许可决定，未生成批次。"))
    batch = ExportBatch.objects.create(
        item=None,
        kind=BatchKind.FULL,
        format=BatchFormat.DOUBLE_PUBLICITY_LICENCE,
        scope=scope,
        created_by=user,
        row_count=len(ids),
    )
    batch_file_store(batch, DoublePublicityLicenceExporter(LicenceDecision.objects.filter(pk__in=ids)))
    batch_export_audit(batch, user=user, request=request)
    return batch


def _carried(field: str) -> Exists:
    return Exists(
        BatchDecision.objects.filter(
            **{field: OuterRef("pk")},
            batch__status__in=CARRYING_STATUSES,
            batch__format__in=(BatchFormat.LICENCE_MUNICIPAL, BatchFormat.BLACKLIST),
        )
    )


def licences_awaiting_delivery() -> QuerySet[LicenceDecision]:
    """Approved licensing decisions no live municipal batch carries yet."""
    return LicenceDecision.objects.filter(status=LicenceStatus.APPROVED).exclude(_carried("licence"))


def blacklist_awaiting_delivery() -> QuerySet[BlackListEntry]:
    """Black-list listings no live municipal batch carries yet."""
    return BlackListEntry.objects.filter(status=BlackListStatus.LISTED).exclude(_carried("blacklist_entry"))


def _decision_batch(*, format: str, field: str, ids: list[int], exporter, user, scope: str) -> ExportBatch:
    batch = ExportBatch.objects.create(
        item=None, kind=BatchKind.INCREMENTAL, format=format, scope=scope, created_by=user, row_count=len(ids)
    )
    BatchDecision.objects.bulk_create(
        [BatchDecision(batch=batch, **{f"{field}_id": pk}) for pk in ids], batch_size=2000
    )
    batch_file_store(batch, exporter)
    batch_export_audit(batch, user=user)
    return batch


@transaction.atomic
def decision_batches_create(*, user=None) -> list[ExportBatch]:
    """The day's licence batch and black-list batch (each only when there is something new); the caller dispatches."""
    # Same lock as every other batch selection: a decision approved meanwhile is in this batch or the next, whole.
    list(Item.objects.select_for_update().order_by("pk").values_list("pk", flat=True)[:1])
    created = []
    licences = list(licences_awaiting_delivery().order_by("pk").values_list("pk", flat=True))
    if licences:
        exporter = DoublePublicityLicenceExporter(LicenceDecision.objects.filter(pk__in=licences))
        created.append(
            _decision_batch(
                format=BatchFormat.LICENCE_MUNICIPAL,
                field="licence",
                ids=licences,
                exporter=exporter,
                user=user,
                scope="每日增量（行政许可）",
            )
        )
    entries = list(blacklist_awaiting_delivery().order_by("pk").values_list("pk", flat=True))
    if entries:
        exporter = BlackListExporter(BlackListEntry.objects.filter(pk__in=entries))
        created.append(
            _decision_batch(
                format=BatchFormat.BLACKLIST,
                field="blacklist_entry",
                ids=entries,
                exporter=exporter,
                user=user,
                scope="每日增量（黑名单）",
            )
        )
    return created


def _claim(batch_id: int) -> datetime.datetime | None:
    """Take the batch for delivery; the claim time is the token later updates must match. None: not ours to send."""
    now = timezone.now()
    lease_expired = now - datetime.timedelta(seconds=settings.REPORTING_DELIVERY_LEASE_SECONDS)
    claimed = (
        ExportBatch.objects.filter(pk=batch_id, format__in=MUNICIPAL_FORMATS)  # national files: by hand only
        .filter(Q(status=BatchStatus.PENDING) | Q(status=BatchStatus.DELIVERING, claimed_at__lt=lease_expired))
        .update(status=BatchStatus.DELIVERING, claimed_at=now, attempts=F("attempts") + 1, last_attempt_at=now)
    )
    return now if claimed else None


def batch_deliver(*, batch_id: int, transport=None) -> ExportBatch:
    """Deliver the batch through the configured transport unless it is delivered or being delivered already, or is a
    national 双公示 batch (for the provincial platform: never sent to the municipal transport).

    Raises TransportError (claim released) when the attempt failed and may be retried.
    """
    token = _claim(batch_id)
    batch = ExportBatch.objects.select_related("item").get(pk=batch_id)
    if token is None:
        return batch
    transport = transport or get_transport()
    try:
        # The file at rest is encrypted: the platform gets the workbook, from a private temporary copy.
        try:
            path = plaintext_copy(batch.file)
        except OSError as exc:
            raise TransportError(_("批次文件无法读取：%(error)s") % {"error": exc.__class__.__name__}) from exc
        try:
            delivery = transport.deliver(batch, path)
        finally:
            os.unlink(path)
    except TransportError as exc:
        ExportBatch.objects.filter(pk=batch_id, status=BatchStatus.DELIVERING, claimed_at=token).update(
            status=BatchStatus.PENDING, outcome=str(exc)[:2000]
        )
        _audit_delivery(batch, getattr(exc, "destination", {}), AuditOutcome.FAILURE)
        raise
    _audit_delivery(batch, getattr(delivery, "destination", {}), AuditOutcome.SUCCESS)
    ExportBatch.objects.filter(pk=batch_id, status=BatchStatus.DELIVERING, claimed_at=token).update(
        status=BatchStatus.DELIVERED,
        delivered_at=timezone.now(),
        delivered_via=transport.name,
        receipt=delivery.receipt,
        outcome=delivery.outcome,
    )
    batch.refresh_from_db()
    if batch.status == BatchStatus.DELIVERED:
        _note_records_delivered(batch)
    if delivery.feedback and batch.status == BatchStatus.DELIVERED:
        from reporting.services.feedback import feedback_store

        # The platform's per-row verdicts came with its answer (HTTP body): the delivery stands whatever they say.
        feedback_store(batch=batch, rows=delivery.feedback, source=transport.name)
    return batch


def _note_records_delivered(batch: ExportBatch) -> None:
    """Tell credit which of the batch's records reached the platform (first delivery: oversight's 迟报率)."""
    records_mark_delivered(record_ids=batch.lines.values_list("record_id", flat=True), at=batch.delivered_at)


def _audit_delivery(batch: ExportBatch, destination: dict, outcome: str) -> None:
    """Each delivery attempt, with where it went (folder, or host and the address connected to)."""
    audit_log(
        action=AuditAction.TRANSITION, obj=batch, outcome=outcome, detail={"step": "delivery", "delivery": destination}
    )


def batch_mark_failed(*, batch_id: int, reason: str) -> None:
    """After the last retry: failed, shown on the reviewers' ledger until someone delivers it by hand."""
    ExportBatch.objects.filter(pk=batch_id, status__in=[BatchStatus.PENDING, BatchStatus.DELIVERING]).update(
        status=BatchStatus.FAILED, outcome=_("多次重试后仍失败：%(reason)s") % {"reason": reason}
    )


@transaction.atomic
def batch_record_manual_upload(*, batch: ExportBatch, user, receipt: str, note: str = "", request=None) -> ExportBatch:
    """A reviewer uploaded the batch file to the platform by hand: store the receipt number (回执号)."""
    require_role(user, Role.REVIEWER)
    receipt = (receipt or "").strip()
    if not receipt:
        raise BatchError(_("请填写平台回执号。"))
    batch = ExportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status == BatchStatus.DELIVERED:
        raise BatchStateError(
            _("该批次已报送（回执号 %(receipt)s），不能重复登记。") % {"receipt": batch.receipt or "—"}
        )
    if batch.status == BatchStatus.DELIVERING:
        raise BatchStateError(_("该批次正在自动报送，请稍后刷新。"))
    now = timezone.now()
    batch.status = BatchStatus.DELIVERED
    batch.delivered_at, batch.delivered_by, batch.delivered_via = now, user, "manual"
    batch.receipt = receipt[:200]
    batch.outcome = _("手工上传") + (f"：{note.strip()}" if note.strip() else "")
    batch.save()
    _note_records_delivered(batch)
    audit_log(
        request=request,
        user=user,
        action=AuditAction.CHANGE,
        obj=batch,
        detail={"manual_upload": True, "receipt": batch.receipt, "changed_fields": ["status", "receipt"]},
    )
    return batch


@transaction.atomic
def batch_retry(*, batch: ExportBatch, user) -> ExportBatch:
    """A failed batch goes back to pending for another automatic delivery."""
    require_role(user, Role.REVIEWER)
    updated = ExportBatch.objects.filter(pk=batch.pk, status=BatchStatus.FAILED, format__in=MUNICIPAL_FORMATS).update(
        status=BatchStatus.PENDING
    )
    if not updated:
        raise BatchStateError(_("只有报送失败的批次可以重新报送。"))
    dispatch(batch)
    batch.refresh_from_db()
    return batch


def dispatch(batch: ExportBatch) -> None:
    """Queue the batch's delivery once the transaction that created it has committed."""
    from reporting.tasks import dispatch_delivery

    transaction.on_commit(lambda: dispatch_delivery(batch.pk))


__all__ = [
    "BatchError",
    "BatchStateError",
    "TransportError",
    "batch_create",
    "batch_deliver",
    "batch_file_store",
    "batch_mark_failed",
    "batch_record_manual_upload",
    "batch_retry",
    "decision_batches_create",
    "dispatch",
    "item_batch_format_error",
    "licence_batch_create",
]
