"""Oversight's maintained aggregates (统计底表, ``OfficeItemMonth``): per office × item × month, recounted from the
records whenever credit announces a change that can move a figure, so that the pages read a few rows per office
instead of counting history.

Recount, never increment: a receiver names the cells a change touches (the record's due month and business month,
before and after the change, from ``CountedRecord``), locks them (in a fixed order) and counts them again from the
records (indexed: office + due date, office + business date). A figure cannot drift from a missed or repeated
signal; ``aggregates_rebuild`` (``manage.py oversight_rebuild_aggregates``) recounts everything.

What moves a figure, and who announces it (``credit.signals``): a save of a record through credit's services
(``record_changed``), an approval (``record_approved``), a bulk creation
(``records_created``), a first publication (``record_published``), a first delivery (``records_delivered``), a
calendar change (``due_dates_changed``: due dates and the 双公示 publication deadlines; recounted once the
calendar's transaction has committed), and a nil report
(``oversight.services.nil_report_confirm``). The records a transaction changed are recounted once, after its commit
(``recount_after_commit``), or before any read of the cells inside it (``pending_flush``).

双公示 timeliness (迟报率): a record of a 双公示 item (``Item.publicity`` = penalty) is due public, and due at the
municipal platform, by the ``PUBLICITY_PUBLISH_WORKING_DAYS``-th (7th) working day after its decision date (the
record's business date), on the official working-day calendar. It counts in its decision month, on time or late by
the local date (Asia/Shanghai) of ``Record.first_published_at`` / ``first_delivered_at`` against that day. The
licensing decisions (行政许可), which are 双公示 too but no item, are counted the same way from what their app
registers (``credit.publication_sources``), live rather than in the cells (``decision_publication_counts``).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max, Min, Q

from core.chunks import in_chunks
from core.transactions import discard_batched, on_commit_batched, run_batched_now
from credit.catalog import PENALTY
from credit.models import Item, Record
from credit.publication_sources import publication_facts
from credit.selectors import UNSUBMITTED
from credit.services.calendar import WorkingCalendar
from oversight.models import CountedRecord, NilReport, OfficeItemMonth

Cell = tuple[int, int, datetime.date]

# Cells recounted per transaction (and per OR-ed query).
_CHUNK = 200
# Calendar days loaded past a decision date: enough for its 7 working days whatever the holidays.
_DEADLINE_REACH = datetime.timedelta(days=90)
# How far before a changed calendar day a decision can lie and still have its publication deadline moved.
_CALENDAR_REACH = datetime.timedelta(days=45)


def month_of(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def next_month(month: datetime.date) -> datetime.date:
    return (month + datetime.timedelta(days=32)).replace(day=1)


def double_publicity_item_ids() -> set[int]:
    """The items whose decisions are published under 双公示 (the catalogue's ``publicity``: penalty)."""
    return set(Item.objects.filter(publicity=PENALTY).values_list("pk", flat=True))


def publication_deadline(calendar: WorkingCalendar, decision_date: datetime.date) -> datetime.date:
    """The day by which a 双公示 decision of ``decision_date`` is due public and delivered (7th working day after)."""
    return calendar.add_working_days(decision_date, settings.PUBLICITY_PUBLISH_WORKING_DAYS).due


def _zero() -> dict:
    return {name: 0 for name in OfficeItemMonth.COUNTS} | {"nil": False}


_TZ = ZoneInfo(settings.TIME_ZONE)


def _local(moment: datetime.datetime) -> datetime.date:
    return moment.astimezone(_TZ).date()


def _count_due(counts: dict, *, status: str, submitted_at, due_date: datetime.date, provisional: bool) -> None:
    counts["due"] += 1
    counts["provisional"] += bool(provisional)
    if submitted_at is None or status in UNSUBMITTED:
        counts["unsubmitted"] += 1
    elif _local(submitted_at) <= due_date:
        counts["on_time"] += 1
    else:
        counts["late"] += 1


def _count_business(
    counts: dict, *, status: str, submitted_at, published_at, delivered_at, deadline: datetime.date | None
) -> None:
    if submitted_at is not None and status not in UNSUBMITTED:
        counts["reported"] += 1
    if deadline is None:  # not a 双公示 item
        return
    count_publication(counts, published_at=published_at, delivered_at=delivered_at, deadline=deadline)


def count_publication(
    counts: dict,
    *,
    published_at: datetime.datetime | None,
    delivered_at: datetime.datetime | None,
    deadline: datetime.date,
) -> None:
    """Count one 双公示 decision due public and delivered by ``deadline``: on time or late by the local date of each."""
    if published_at is not None:
        counts["published_on_time" if _local(published_at) <= deadline else "published_late"] += 1
    if delivered_at is not None:
        counts["delivered_on_time" if _local(delivered_at) <= deadline else "delivered_late"] += 1


def decision_publication_counts(
    *, start: datetime.date, end: datetime.date, office_ids: Iterable[int]
) -> dict[int, dict[str, int]]:
    """The 双公示 decisions kept outside the ten items (the licensing decisions: ``credit.publication_sources``) dated
    ``start`` to ``end``, per office: published and delivered on time or late, as the penalties' cells count them.
    Live, not maintained: a bureau takes a few hundred licensing decisions a year."""
    facts = list(publication_facts(start=start, end=end, office_ids=list(office_ids)))
    if not facts:
        return {}
    calendar = WorkingCalendar(start, end + _DEADLINE_REACH)
    counts: dict[int, dict[str, int]] = defaultdict(_zero)
    for fact in facts:
        count_publication(
            counts[fact.office_id],
            published_at=fact.published_at,
            delivered_at=fact.delivered_at,
            deadline=publication_deadline(calendar, fact.decision_date),
        )
    return dict(counts)


_DUE_VALUES = ("office_id", "item_id", "due_date", "due_date_provisional", "status", "submitted_at")
_BUSINESS_VALUES = (
    "office_id",
    "item_id",
    "business_date",
    "status",
    "submitted_at",
    "first_published_at",
    "first_delivered_at",
)


def _recount(cells: list[Cell]) -> dict[Cell, dict]:
    """Count ``cells`` from the records and nil reports: two record queries, one of nil reports, the calendar."""
    counts = {cell: _zero() for cell in cells}
    due_q, business_q, nil_q = Q(), Q(), Q()
    for office_id, item_id, month in cells:
        due_q |= Q(office_id=office_id, item_id=item_id, due_date__gte=month, due_date__lt=next_month(month))
        business_q |= Q(
            office_id=office_id, item_id=item_id, business_date__gte=month, business_date__lt=next_month(month)
        )
        nil_q |= Q(office_id=office_id, item_id=item_id, month=month)
    for office_id, item_id, due_date, provisional, status, submitted_at in (
        Record.objects.filter(due_q).order_by().values_list(*_DUE_VALUES)
    ):
        _count_due(
            counts[(office_id, item_id, month_of(due_date))],
            status=status,
            submitted_at=submitted_at,
            due_date=due_date,
            provisional=provisional,
        )
    double = double_publicity_item_ids()
    calendar = None
    if any(item_id in double for _o, item_id, _m in cells):
        first = min(m for _o, i, m in cells if i in double)
        last = max(next_month(m) for _o, i, m in cells if i in double)
        calendar = WorkingCalendar(first, last + _DEADLINE_REACH)
    for office_id, item_id, business_date, status, submitted_at, published_at, delivered_at in (
        Record.objects.filter(business_q).order_by().values_list(*_BUSINESS_VALUES)
    ):
        _count_business(
            counts[(office_id, item_id, month_of(business_date))],
            status=status,
            submitted_at=submitted_at,
            published_at=published_at,
            delivered_at=delivered_at,
            deadline=publication_deadline(calendar, business_date) if item_id in double else None,
        )
    for cell in NilReport.objects.filter(nil_q).values_list("office_id", "item_id", "month"):
        counts[cell]["nil"] = True
    return counts


def cells_recompute(cells: Iterable[Cell]) -> int:
    """Recount ``cells`` (office id, item id, first day of the month) from the records; returns how many.

    Each chunk in its own (nested) transaction: the cells are created where missing, locked in a fixed order and only
    then counted, so that of two transactions changing records of the same cell the second counts after the first
    has committed (READ COMMITTED: each statement sees what committed before it)."""
    ordered = sorted(set(cells))
    for chunk in in_chunks(ordered, _CHUNK):
        with transaction.atomic():
            OfficeItemMonth.objects.bulk_create(
                [OfficeItemMonth(office_id=o, item_id=i, month=m) for o, i, m in chunk], ignore_conflicts=True
            )
            lookup = Q()
            for office_id, item_id, month in chunk:
                lookup |= Q(office_id=office_id, item_id=item_id, month=month)
            rows = list(
                OfficeItemMonth.objects.select_for_update().filter(lookup).order_by("office_id", "item_id", "month")
            )
            counts = _recount(chunk)
            for row in rows:
                for name, value in counts[(row.office_id, row.item_id, row.month)].items():
                    setattr(row, name, value)
            OfficeItemMonth.objects.bulk_update(rows, list(OfficeItemMonth.COUNTS))
    return len(ordered)


def _position(pk: int, office_id: int, item_id: int, due: datetime.date, business: datetime.date) -> CountedRecord:
    return CountedRecord(
        record_id=pk,
        office_id_counted=office_id,
        item_id_counted=item_id,
        due_month=month_of(due),
        business_month=month_of(business),
    )


def records_recount(record_ids: Iterable[int]) -> int:
    """Recount the cells the records ``record_ids`` are in now and were in when last counted; returns how many."""
    ids = sorted(set(record_ids))
    touched = 0
    for chunk in in_chunks(ids):
        with transaction.atomic():
            positions = [
                _position(*row)
                for row in Record.objects.filter(pk__in=chunk).values_list(
                    "pk", "office_id", "item_id", "due_date", "business_date"
                )
            ]
            cells: set[Cell] = set()
            for position in (*CountedRecord.objects.filter(record_id__in=chunk), *positions):
                cells |= position.cells()
            touched += cells_recompute(cells)
            CountedRecord.objects.bulk_create(
                positions,
                update_conflicts=True,
                unique_fields=["record"],
                update_fields=["office_id_counted", "item_id_counted", "due_month", "business_month"],
            )
    return touched


def calendar_changed(*, first: datetime.date, last: datetime.date, record_ids: Iterable[int]) -> int:
    """A calendar change between ``first`` and ``last``: the records whose due date it moved, and the 双公示 decisions
    whose publication deadline it can move (published or delivered ones: the others count nothing by it)."""
    touched = records_recount(record_ids)
    decisions = (
        Record.objects.filter(
            item_id__in=double_publicity_item_ids(),
            business_date__gte=first - _CALENDAR_REACH,
            business_date__lte=last,
        )
        .filter(Q(first_published_at__isnull=False) | Q(first_delivered_at__isnull=False))
        .order_by()
        .values_list("office_id", "item_id", "business_date")
    )
    return touched + cells_recompute({(o, i, month_of(d)) for o, i, d in decisions})


@transaction.atomic
def aggregates_rebuild() -> int:
    """Recount every cell from every record and nil report (``manage.py oversight_rebuild_aggregates``); returns the
    number of cells. One pass over the records; the table is replaced in one transaction."""
    counts: dict[Cell, dict] = defaultdict(_zero)
    double = double_publicity_item_ids()
    span = Record.objects.filter(item_id__in=double).aggregate(lo=Min("business_date"), hi=Max("business_date"))
    calendar = WorkingCalendar(span["lo"], span["hi"] + _DEADLINE_REACH) if span["lo"] else None
    rows = Record.objects.order_by().values_list(
        *_DUE_VALUES, "business_date", "first_published_at", "first_delivered_at"
    )
    for (
        office_id,
        item_id,
        due_date,
        provisional,
        status,
        submitted_at,
        business,
        published,
        delivered,
    ) in rows.iterator(chunk_size=5000):
        _count_due(
            counts[(office_id, item_id, month_of(due_date))],
            status=status,
            submitted_at=submitted_at,
            due_date=due_date,
            provisional=provisional,
        )
        _count_business(
            counts[(office_id, item_id, month_of(business))],
            status=status,
            submitted_at=submitted_at,
            published_at=published,
            delivered_at=delivered,
            deadline=publication_deadline(calendar, business) if item_id in double else None,
        )
    for cell in NilReport.objects.values_list("office_id", "item_id", "month"):
        counts[cell]["nil"] = True
    discard_batched(_BATCH)  # recounted here with everything else
    OfficeItemMonth.objects.all().delete()
    CountedRecord.objects.all().delete()
    OfficeItemMonth.objects.bulk_create(
        [OfficeItemMonth(office_id=o, item_id=i, month=m, **values) for (o, i, m), values in counts.items()],
        batch_size=2000,
    )
    _positions_rebuild()
    return len(counts)


def _positions_rebuild() -> None:
    """Every record's position (``CountedRecord``) in one INSERT … SELECT: a million rows in seconds."""
    if connection.vendor == "postgresql":
        month = "date_trunc('month', {})::date"
    else:
        month = "date({}, 'start of month')"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {CountedRecord._meta.db_table} "
            "(record_id, office_id_counted, item_id_counted, due_month, business_month) "
            f"SELECT id, office_id, item_id, {month.format('due_date')}, {month.format('business_date')} "
            f"FROM {Record._meta.db_table}"
        )


# -- one recount per transaction ------------------------------------------------------------------------------------
#
# The receivers do not recount at once: they add the records to the transaction's batch (``core.transactions``), which
# is recounted once, right after the commit — or earlier, inside the transaction, by any read of the cells
# (``pending_flush``, called by oversight's selectors), so a page never shows figures that miss a change its own
# transaction made. A recount failing after the commit is logged and left to the nightly
# ``oversight.rebuild_aggregates``; the change itself stands.

_BATCH = "oversight.aggregates"


def recount_after_commit(record_ids: Iterable[int]) -> None:
    """Recount the cells of ``record_ids`` once the current transaction commits (at once outside a transaction)."""
    on_commit_batched(_BATCH, record_ids, records_recount, robust=True)


def pending_flush() -> None:
    """Recount now what the current transaction changed and has not recounted yet (before reading the cells)."""
    run_batched_now(_BATCH)


# -- receivers of credit's signals (connected in OversightConfig.ready) ----------------------------------------------


def _on_record_changed(sender, record, **kwargs) -> None:
    recount_after_commit([record.pk])


_on_record_changed.safe_for_new_records = (  # read by credit.services.records_bulk, which sends no record_changed
    "records created in bulk are recounted on records_created, which the bulk creation sends once it has committed"
)


def _on_record_approved(sender, record, **kwargs) -> None:
    recount_after_commit([record.pk])


def _on_records_created(sender, records, **kwargs) -> None:
    recount_after_commit([r.pk for r in records])


def _on_record_published(sender, record, **kwargs) -> None:
    recount_after_commit([record.pk])


def _on_records_delivered(sender, record_ids, **kwargs) -> None:
    recount_after_commit(record_ids)


def _on_due_dates_changed(sender, first, last, changes, **kwargs) -> None:
    # After the calendar's transaction has committed: a calendar change can move thousands of records, and the
    # recount need not hold the calendar's locks (a crash in between is what oversight_rebuild_aggregates is for).
    record_ids = [pk for pk, _old in changes]
    transaction.on_commit(lambda: calendar_changed(first=first, last=last, record_ids=record_ids))


def connect() -> None:
    from credit import signals

    signals.record_changed.connect(_on_record_changed, dispatch_uid="oversight-aggregates-changed")
    signals.record_approved.connect(_on_record_approved, dispatch_uid="oversight-aggregates-approved")
    signals.records_created.connect(_on_records_created, dispatch_uid="oversight-aggregates-created")
    signals.record_published.connect(_on_record_published, dispatch_uid="oversight-aggregates-published")
    signals.records_delivered.connect(_on_records_delivered, dispatch_uid="oversight-aggregates-delivered")
    signals.due_dates_changed.connect(_on_due_dates_changed, dispatch_uid="oversight-aggregates-calendar")
