"""Reads of the reporting app that are more than a filter."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from credit.models import Item, Record, RecordStatus
from credit.registry import model_for_item
from credit.selectors import semiannual_periods
from reporting.models import (
    BatchFormat,
    BatchKind,
    BatchRecord,
    BatchStatus,
    ExportBatch,
    FeedbackResult,
    ImportMode,
    ImportStatus,
    RowFeedback,
)

# A record version carried by a batch in one of these states needs no new delivery.
CARRYING_STATUSES = (BatchStatus.PENDING, BatchStatus.DELIVERING, BatchStatus.DELIVERED)
# Only these formats go to the municipal platform: a national 双公示 file is for the provincial platform, so a record
# it carries is still owed to the municipal platform in the upload template.
MUNICIPAL_FORMATS = (BatchFormat.UPLOAD_TEMPLATE, BatchFormat.LICENCE_MUNICIPAL, BatchFormat.BLACKLIST)


def records_reportable(item: Item) -> QuerySet:
    """The item's typed records that the platform should have: approved (已通过) ones."""
    return model_for_item(item.no).objects.filter(item=item, status=RecordStatus.APPROVED)


def current_version_carried(formats: tuple[str, ...] = MUNICIPAL_FORMATS) -> Exists:
    """For a record queryset: a live batch of ``formats`` carries the record's current version. By default the
    municipal batches (upload template, corrections): national 双公示 batches are not delivered to the municipal
    platform, so they do not count there; a national incremental batch asks about national batches instead."""
    return Exists(
        BatchRecord.objects.filter(
            record=OuterRef("pk"),
            record_version=OuterRef("version"),
            batch__status__in=CARRYING_STATUSES,
            batch__format__in=formats,
        )
    )


def open_refusals() -> QuerySet[RowFeedback]:
    """The platform's refusals (问题数据) not cleared by a later acceptance of the same record."""
    return RowFeedback.objects.filter(result=FeedbackResult.REFUSED, resolved_at__isnull=True)


def has_open_refusal() -> Exists:
    """For a record queryset: the platform refused a version of the record and has not accepted one since."""
    return Exists(open_refusals().filter(record=OuterRef("pk")))


def records_awaiting_delivery(item: Item, format: str = BatchFormat.UPLOAD_TEMPLATE) -> QuerySet:
    """Approved records whose current version no live batch of ``format`` carries: newly approved or changed since
    last delivered (to the municipal platform, or for a national format since last exported in it).

    A record the municipal platform refused (问题数据) is not among them: once fixed it goes in the next 更正报送
    batch (``reporting.services.corrections.refused_fixed_batches_create``)."""
    records = records_reportable(item)
    since = last_selection_at(item, format)
    if since is not None:
        records = records.filter(_changed_or_failed_since(item, format, since))
    records = records.exclude(current_version_carried((format,)))
    if format in MUNICIPAL_FORMATS:
        records = records.exclude(has_open_refusal())
    return records


# Longer than any transaction that approves or changes records: a record changed (``updated_at``) this long before a
# selection began but committed after it had read is still looked at by the next one.
SELECTION_MARGIN = datetime.timedelta(hours=1)


def last_selection_at(item: Item, format: str) -> datetime.datetime | None:
    """When the item's last incremental batch of ``format`` selected its records (None: never), less the margin.

    That selection took every record then awaiting delivery; a record it did not take was carried (or had an open
    refusal, which only a later delivery clears). So a record can await delivery now only if it changed since
    (approved, changed, revoked: each sets ``updated_at`` and a new version) or a batch carrying it failed since."""
    created = (
        ExportBatch.objects.filter(item=item, format=format, kind=BatchKind.INCREMENTAL)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    return None if created is None else created - SELECTION_MARGIN


def _changed_or_failed_since(item: Item, format: str, since: datetime.datetime) -> Q:
    """Records changed since ``since`` (the index on item, status and ``updated_at`` finds them) or carried by a batch
    of ``format`` that failed since (few: named by id, so the two look-ups combine as one bitmap scan)."""
    failed = list(
        BatchRecord.objects.filter(batch__item=item, batch__format=format, batch__status=BatchStatus.FAILED)
        .filter(Q(batch__last_attempt_at__isnull=True) | Q(batch__last_attempt_at__gte=since))
        .values_list("record_id", flat=True)
    )
    return Q(updated_at__gte=since) | Q(pk__in=failed)


def problem_rows(user) -> QuerySet[RowFeedback]:
    """The 问题数据 queue of ``user``'s offices (a reviewer: every office): open refusals, oldest first, each with
    whether the record has been fixed since (``fixed``: a newer version) and resent (``resent``: a live municipal batch
    carries a newer version)."""
    resent = BatchRecord.objects.filter(
        record=OuterRef("record"),
        record_version__gt=OuterRef("record_version"),
        batch__status__in=CARRYING_STATUSES,
        batch__format__in=MUNICIPAL_FORMATS,
    )
    return (
        RowFeedback.objects.restrict(user)
        .filter(result=FeedbackResult.REFUSED, resolved_at__isnull=True)
        .annotate(resent=Exists(resent))
        .select_related("record", "record__item", "office", "batch")
        .order_by("received_at", "batch_id", "row")
    )


def compliance_by_office(user) -> list[dict]:
    """合规率 per office: of the rows the platform gave a verdict on, the share it accepted (入库), in ``user``'s scope."""
    from django.db.models import Count, Q

    rows = (
        RowFeedback.objects.restrict(user)
        .values("office__code", "office__name")
        .annotate(
            total=Count("pk"),
            accepted=Count("pk", filter=Q(result=FeedbackResult.ACCEPTED)),
            open=Count("pk", filter=Q(result=FeedbackResult.REFUSED, resolved_at__isnull=True)),
        )
        .order_by("office__name")
    )
    out = []
    for row in rows:
        row["rate"] = round(100 * row["accepted"] / row["total"], 1) if row["total"] else None
        out.append(row)
    return out


def batches_for(user) -> QuerySet[ExportBatch]:
    return ExportBatch.objects.restrict(user).select_related("item", "created_by", "delivered_by")


def batches_to_dispatch() -> QuerySet[ExportBatch]:
    """Municipal batches still waiting for their delivery (a lost task message, a retry chain cut short).

    National 双公示 batches never go through the municipal transport: a reviewer downloads them for the provincial
    platform and records the upload by hand."""
    return ExportBatch.objects.filter(
        status__in=[BatchStatus.PENDING, BatchStatus.DELIVERING], format__in=MUNICIPAL_FORMATS
    )


def record_batches(record) -> QuerySet:
    """The export batches (报送批次) that carried ``record``, newest first, each line with the version it carried.

    One query whatever the number of batches (the batch and its item are joined in).
    """
    return (
        BatchRecord.objects.filter(record_id=record.pk)
        .select_related("batch__item")
        .order_by("-batch__created_at", "-batch_id")
    )


def semiannual_notices_owed(notices: Iterable, *, today: datetime.date | None = None) -> list:
    """Of ``notices`` (``SemiannualNotice``, best with ``office`` loaded), those whose period the office still
    owes by ``credit.selectors.semiannual_periods``: a period reported since the notice was made is settled, and so is
    one older than the selector's periods (last year's second half on). A period that becomes owed again (its only
    record withdrawn, say) has its notice back. Two queries per office of the notices, whatever their number."""
    today = today or timezone.localdate()
    owed: dict[int, set[tuple[int, datetime.date]]] = {}
    kept = []
    for notice in notices:
        if notice.office_id not in owed:
            periods = semiannual_periods(notice.office, today=today)
            owed[notice.office_id] = {(period.item.pk, period.due) for period in periods if period.owed}
        if (notice.item_id, notice.due_date) in owed[notice.office_id]:
            kept.append(notice)
    return kept


def import_job_records(job) -> QuerySet:
    """The records an import job created: its user's records of its item and office made while it ran (an import
    inserts all its records at once, between the upload and the job's end). Oldest row first, as in the file.
    An update-mode job's are the records it updated (``ImportJob.updated``)."""
    if job.mode == ImportMode.UPDATE:
        ids = [entry["record"] for entry in job.updated] if job.status == ImportStatus.SUCCEEDED else []
        return (
            Record.objects.filter(pk__in=ids, office_id=job.office_id).select_related("item", "subject").order_by("id")
        )
    if job.finished_at is None or not job.created_count:
        return Record.objects.none()
    return (
        Record.objects.filter(
            item_id=job.item_id,
            office_id=job.office_id,
            created_by_id=job.created_by_id,
            created_at__gte=job.created_at,
            created_at__lte=job.finished_at,
        )
        .select_related("item", "subject")
        .order_by("id")
    )
