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

from django.db import connection, transaction
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


def _checked(
    rows: Iterable[tuple[str, str, str]], *, line_count: int, seen: set[int], summary: FeedbackSummary
) -> Iterator[tuple[int, str, str]]:
    """The usable verdicts of ``rows`` as (row, result, reason), each row once and only rows not stored before
    (``seen``); the unusable ones and the repeats are counted in ``summary``, and so are the verdicts yielded."""
    for row_text, result_text, reason in rows:
        row_text = str(row_text).strip()
        row = int(row_text) if row_text.isascii() and row_text.isdigit() and len(row_text) <= 9 else 0
        if not 1 <= row <= line_count:
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
        reason = str(reason).strip()[:REASON_MAX] if result == FeedbackResult.REFUSED else ""
        if result == FeedbackResult.REFUSED and not reason:
            reason = _("平台未说明原因")
        summary.accepted += result == FeedbackResult.ACCEPTED
        summary.refused += result == FeedbackResult.REFUSED
        yield row, result, reason


def _store_in_chunks(
    batch: ExportBatch, verdicts: Iterable[tuple[int, str, str]], lines: list[tuple[int, int, int]], *, source, now
) -> int:
    """Any database: each verdict hung on its ledger line in Python, inserted ``CHUNK`` rows at a time."""
    stored = 0
    pending: list[RowFeedback] = []
    for row, result, reason in verdicts:
        record_id, version, office_id = lines[row - 1]
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
        if len(pending) >= CHUNK:
            RowFeedback.objects.bulk_create(pending, ignore_conflicts=True)
            stored += len(pending)
            pending = []
    if pending:
        RowFeedback.objects.bulk_create(pending, ignore_conflicts=True)
        stored += len(pending)
    return stored


FEEDBACK_TEMP_TABLE = "reporting_feedback_incoming"


def _set_based() -> bool:
    """Whether the database takes the verdicts by ``COPY`` and one set-based insert (PostgreSQL, production's)."""
    return connection.vendor == "postgresql"


def _store_with_copy(batch: ExportBatch, verdicts: Iterable[tuple[int, str, str]], *, source, now) -> int:
    """PostgreSQL: the verdicts streamed by ``COPY`` into a temporary table, then hung on the ledger lines and stored
    by one ``INSERT … SELECT`` (row n is the n-th line by record number, as in ``_lines``): no ledger line and no model
    instance in Python."""
    feedback = RowFeedback._meta
    line = BatchRecord._meta
    record_office = line.get_field("record").related_model._meta.get_field("office")
    record = record_office.model._meta
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {FEEDBACK_TEMP_TABLE}")
        cursor.execute(
            f'CREATE TEMPORARY TABLE {FEEDBACK_TEMP_TABLE} ("row" integer, result varchar(10), reason text) '
            "ON COMMIT DROP"
        )
        with cursor.copy(f'COPY {FEEDBACK_TEMP_TABLE} ("row", result, reason) FROM STDIN') as copy:
            for verdict in verdicts:
                copy.write_row(verdict)
        cursor.execute(
            f"""
            INSERT INTO {q(feedback.db_table)}
                ({q(feedback.get_field("batch").column)}, {q(feedback.get_field("row").column)},
                 {q(feedback.get_field("record").column)}, {q(feedback.get_field("record_version").column)},
                 {q(feedback.get_field("office").column)}, {q(feedback.get_field("result").column)},
                 {q(feedback.get_field("reason").column)}, {q(feedback.get_field("source").column)},
                 {q(feedback.get_field("received_at").column)})
            SELECT %s, incoming."row", line.record_id, line.record_version, rec.{q(record_office.column)},
                   incoming.result, incoming.reason, %s, %s
            FROM {FEEDBACK_TEMP_TABLE} incoming
            JOIN (
                SELECT {q(line.get_field("record").column)} AS record_id,
                       {q(line.get_field("record_version").column)} AS record_version,
                       row_number() OVER (ORDER BY {q(line.get_field("record").column)}) AS n
                FROM {q(line.db_table)}
                WHERE {q(line.get_field("batch").column)} = %s
            ) line ON line.n = incoming."row"
            JOIN {q(record.db_table)} rec ON rec.{q(record.pk.column)} = line.record_id
            ON CONFLICT DO NOTHING
            """,
            [batch.pk, source, now, batch.pk],
        )
        stored = cursor.rowcount
        cursor.execute(f"DROP TABLE {FEEDBACK_TEMP_TABLE}")
    return stored


@transaction.atomic
def feedback_store(*, batch: ExportBatch, rows: Iterable[tuple[str, str, str]], source: str) -> FeedbackSummary:
    """Store the platform's verdicts on ``batch``'s rows (idempotent) and resolve the refusals they clear.

    Only record batches (upload template) have rows to hang a verdict on; a licence or black-list batch's feedback
    is not stored (logged). The rows are streamed: on PostgreSQL they go by ``COPY`` and one set-based insert, elsewhere
    in chunks of ``bulk_create``; neither saves model by model nor sends signals."""
    summary = FeedbackSummary()
    if batch.format != BatchFormat.UPLOAD_TEMPLATE:
        logger.info("feedback on batch %s (%s) not stored: not a record batch", batch.pk, batch.format)
        return summary
    seen = set(RowFeedback.objects.filter(batch=batch).values_list("row", flat=True))
    now = timezone.now()
    if _set_based():
        line_count = BatchRecord.objects.filter(batch=batch).count()
        verdicts = _checked(rows, line_count=line_count, seen=seen, summary=summary)
        summary.stored = _store_with_copy(batch, verdicts, source=source, now=now)
    else:
        lines = _lines(batch)
        verdicts = _checked(rows, line_count=len(lines), seen=seen, summary=summary)
        summary.stored = _store_in_chunks(batch, verdicts, lines, source=source, now=now)
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
