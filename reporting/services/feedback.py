"""The municipal platform's per-row verdicts on a delivered batch (入库 / 问题数据), and what follows from them.

Feedback arrives two ways: in the HTTP transport's response body (``rows``: a list of ``{"row", "result",
"reason"}``) and, for the drop folder, as a CSV file the platform leaves beside the batch file (format in the README,
"平台反馈文件"). Either way a row is the n-th record row of the batch file, counted from 1 in file order; the ledger
lines (``BatchRecord``) are in the same order (record number ascending), so row n is the n-th line.

Storing is idempotent (one verdict per batch and row; a second reading of the same file adds nothing) and resolves
the earlier refusals of every record the platform now accepted: they leave the office's 问题数据 queue.
A refused record that the office fixes (a new approved version) goes in the next 更正报送 batch of its item
(``corrections.refused_fixed_batches_create``), not in the daily incremental one.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import audit_log
from core.errors import DomainError
from reporting.models import (
    BatchFormat,
    BatchRecord,
    BatchStatus,
    ExportBatch,
    FeedbackResult,
    RowFeedback,
)

logger = logging.getLogger(__name__)

FEEDBACK_COLUMNS = ("batch_id", "row", "result", "reason")
FEEDBACK_SUFFIX = ".feedback.csv"
CHUNK = 5000
# The words a platform may use for each verdict (the README lists them).
RESULT_WORDS = {
    "accepted": FeedbackResult.ACCEPTED,
    "入库": FeedbackResult.ACCEPTED,
    "ok": FeedbackResult.ACCEPTED,
    "refused": FeedbackResult.REFUSED,
    "问题数据": FeedbackResult.REFUSED,
    "rejected": FeedbackResult.REFUSED,
}
REASON_MAX = 1000


class FeedbackError(DomainError):
    """A feedback file or body that cannot be read at all (wrong header, another batch's id)."""


@dataclass
class FeedbackSummary:
    stored: int = 0
    accepted: int = 0
    refused: int = 0
    resolved: int = 0
    duplicates: int = 0
    # Rows that name no record line of the batch, or an unknown result: (row text, why) — for the log and the audit.
    invalid: list[tuple[str, str]] = field(default_factory=list)


def feedback_file_rows(fh: Iterable[str], *, batch_id: int) -> Iterator[tuple[str, str, str]]:
    """The rows of a feedback CSV (header ``batch_id,row,result,reason``), checked to be about ``batch_id``."""
    reader = csv.reader(fh)
    header = [h.strip().lstrip("\ufeff").lower() for h in next(reader, [])]
    if tuple(header[:4]) != FEEDBACK_COLUMNS:
        raise FeedbackError(_("平台反馈文件的表头应为 batch_id,row,result,reason。"))
    wanted = str(batch_id)
    for line in reader:
        if not line:
            continue
        line = [*line, "", "", "", ""]
        if line[0].strip() != wanted:
            raise FeedbackError(
                _("平台反馈文件中有其他批次（%(other)s）的结果，未读取。") % {"other": line[0].strip()[:20]}
            )
        yield line[1], line[2], line[3]


def feedback_path(batch: ExportBatch, directory: Path) -> Path:
    """Where the platform leaves its feedback on a batch delivered to the drop folder: beside the batch file."""
    from reporting.transports import delivery_name

    return directory / (delivery_name(batch).removesuffix(".xlsx") + FEEDBACK_SUFFIX)


def _lines(batch: ExportBatch) -> list[tuple[int, int, int]]:
    """(record, version, office) of each record row of the batch, in file order (row n is index n - 1)."""
    return list(
        BatchRecord.objects.filter(batch=batch)
        .order_by("record_id")
        .values_list("record_id", "record_version", "record__office_id")
        .iterator(chunk_size=CHUNK)
    )


@transaction.atomic
def feedback_store(*, batch: ExportBatch, rows: Iterable[tuple[str, str, str]], source: str) -> FeedbackSummary:
    """Store the platform's verdicts on ``batch``'s rows (idempotent) and resolve the refusals they clear.

    Only record batches (upload template) have rows to hang a verdict on; a licence or black-list batch's feedback
    is not stored (logged)."""
    summary = FeedbackSummary()
    if batch.format != BatchFormat.UPLOAD_TEMPLATE:
        logger.info("feedback on batch %s (%s) not stored: not a record batch", batch.pk, batch.format)
        return summary
    lines = _lines(batch)
    seen = set(RowFeedback.objects.filter(batch=batch).values_list("row", flat=True))
    now = timezone.now()
    pending: list[RowFeedback] = []
    for row_text, result_text, reason in rows:
        row_text = str(row_text).strip()
        row = int(row_text) if row_text.isascii() and row_text.isdigit() and len(row_text) <= 9 else 0
        if not 1 <= row <= len(lines):
            summary.invalid.append((row_text[:20], "row"))
            continue
        result = RESULT_WORDS.get(str(result_text).strip().lower())
        if result is None:
            summary.invalid.append((row_text, "result"))
            continue
        if row in seen:
            summary.duplicates += 1
            continue
        seen.add(row)
        record_id, version, office_id = lines[row - 1]
        reason = str(reason).strip()[:REASON_MAX] if result == FeedbackResult.REFUSED else ""
        if result == FeedbackResult.REFUSED and not reason:
            reason = _("平台未说明原因")
        pending.append(
            RowFeedback(
                batch=batch,
                row=row,
                record_id=record_id,
                record_version=version,
                office_id=office_id,
                result=result,
                reason=reason,
                source=source,
                received_at=now,
            )
        )
        summary.accepted += result == FeedbackResult.ACCEPTED
        summary.refused += result == FeedbackResult.REFUSED
        if len(pending) >= CHUNK:
            RowFeedback.objects.bulk_create(pending, ignore_conflicts=True)
            summary.stored += len(pending)
            pending = []
    if pending:
        RowFeedback.objects.bulk_create(pending, ignore_conflicts=True)
        summary.stored += len(pending)
    if summary.accepted:
        # A refusal is cleared when the platform accepts a delivery of the same record carrying a version at least as
        # new as the one it refused.
        cleared = RowFeedback.objects.filter(
            batch=batch,
            result=FeedbackResult.ACCEPTED,
            record=OuterRef("record"),
            record_version__gte=OuterRef("record_version"),
        )
        summary.resolved = (
            RowFeedback.objects.filter(result=FeedbackResult.REFUSED, resolved_at__isnull=True)
            .exclude(batch=batch)
            .filter(Exists(cleared))
            .update(resolved_at=now)
        )
    if summary.invalid:
        logger.warning(
            "feedback on batch %s: %d unusable row(s): %s", batch.pk, len(summary.invalid), summary.invalid[:20]
        )
    audit_log(
        action=AuditAction.IMPORT,
        obj=batch,
        detail={
            "step": "platform_feedback",
            "source": source,
            "stored": summary.stored,
            "accepted": summary.accepted,
            "refused": summary.refused,
            "resolved": summary.resolved,
            "duplicates": summary.duplicates,
            "invalid": len(summary.invalid),
        },
    )
    return summary


def feedback_file_ingest(*, batch: ExportBatch, path: str | Path) -> FeedbackSummary:
    """Read a feedback CSV for ``batch`` (streamed: the rows are not all held as text at once)."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return feedback_store(batch=batch, rows=feedback_file_rows(fh, batch_id=batch.pk), source="file")


def feedback_text_ingest(*, batch: ExportBatch, text: str) -> FeedbackSummary:
    return feedback_store(
        batch=batch, rows=feedback_file_rows(io.StringIO(text.lstrip("\ufeff")), batch_id=batch.pk), source="file"
    )


def batches_awaiting_feedback() -> QuerySet[ExportBatch]:
    """Batches delivered to the drop folder that have no feedback yet."""
    return ExportBatch.objects.filter(
        status=BatchStatus.DELIVERED, delivered_via="dropfolder", format=BatchFormat.UPLOAD_TEMPLATE
    ).exclude(Exists(RowFeedback.objects.filter(batch=OuterRef("pk"))))


def feedback_collect(directory: Path | None = None) -> dict[int, FeedbackSummary]:
    """Read every feedback file the platform left beside a batch delivered to the drop folder (once each)."""
    from reporting.transports import delivery_config

    directory = Path(directory or delivery_config().drop_dir)
    read = {}
    for batch in batches_awaiting_feedback().iterator():
        path = feedback_path(batch, directory)
        if not path.is_file():
            continue
        try:
            read[batch.pk] = feedback_file_ingest(batch=batch, path=path)
        except (FeedbackError, OSError, UnicodeDecodeError, csv.Error) as exc:
            logger.warning("feedback file %s of batch %s unreadable: %s", path, batch.pk, exc)
    return read
