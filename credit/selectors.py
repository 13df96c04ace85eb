"""Reads that are more than a filter: scoped record look-ups, dashboards, the review queue and record history."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from core.chunks import in_chunks
from core.masking import mask_free_text
from credit.fields import PERSONAL_KEYS
from credit.models import (
    ChangeStatus,
    Item,
    Notice,
    Office,
    Record,
    RecordChange,
    RecordCount,
    RecordEvent,
    RecordStatus,
    Subject,
)
from credit.registry import model_for_item
from credit.services.calendar import WorkingCalendar, due_date_for, semiannual_due_date, semiannual_period
from credit.validators import mask_cn_id

# Statuses of a record the office still has to submit.
UNSUBMITTED = (RecordStatus.DRAFT, RecordStatus.RETURNED)


def typed_record_for(user, pk, *, action: str = "view") -> Record:
    """The typed record ``pk`` if ``user`` may ``action`` it; otherwise 404, never 403 (no existence leak)."""
    try:
        base = Record.objects.restrict(user, action).select_related("item").get(pk=int(pk))
    except (Record.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    model = model_for_item(base.item.no)
    return model.objects.select_related("item", "office", "subject", "created_by", "updated_by", "decided_by").get(
        pk=base.pk
    )


def change_for(user, pk, *, action: str = "view") -> RecordChange:
    """A change request on a record ``user`` may ``action``; otherwise 404."""
    records = Record.objects.restrict(user, action)
    try:
        return RecordChange.objects.select_related("record", "created_by").get(pk=int(pk), record__in=records)
    except (RecordChange.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def records_in_force(model: type[Record], user, action: str = "view") -> QuerySet[Record]:
    """``model``'s records that ``user`` may reach for ``action`` and whose decision still stands (neither revoked nor
    expired): those a new record with the same natural key would repeat (the form's and the import's duplicate check),
    and those an update import may change."""
    return model.objects.restrict(user, action).exclude(status__in=[RecordStatus.REVOKED, RecordStatus.EXPIRED])


def record_list(user) -> QuerySet[Record]:
    """The records ``user`` may see, with what a list row shows joined in (one query per page, whatever its size).

    A clerk's offices are also named by their ids: with ``office_id IN (2)`` rather than only the scope's subquery,
    PostgreSQL walks the (office, sort key) index in order and stops after the page, for every sort of the list.
    """
    records = Record.objects.restrict(user).select_related("item", "office", "subject", "updated_by")
    if not user.is_reviewer:
        records = records.filter(office__in=list(user.offices.values_list("pk", flat=True)))
    return records


# Dashboard counts of rows that pile up with history (overdue drafts, a period's submissions) stop at this many: the
# tile then shows "99+" (as a mail client counts unread mail), and its query reads at most that many index entries.
COUNT_CAP = 99


class CappedCount(int):
    """A count that may have stopped at ``COUNT_CAP``: compares as the number, shows as "99+" when capped."""

    capped: bool = False

    def __str__(self) -> str:
        return f"{int(self)}+" if self.capped else str(int(self))


def _total(counts) -> CappedCount:
    total = CappedCount(sum(counts))
    total.capped = any(getattr(c, "capped", False) for c in counts)
    return total


def capped_count(records: QuerySet, cap: int = COUNT_CAP) -> CappedCount:
    n = records.order_by().values("pk")[: cap + 1].count()
    count = CappedCount(min(n, cap))
    count.capped = n > cap
    return count


def due_soon_end(today: datetime.date | None = None, days: int = 3) -> datetime.date:
    """The last day counted as "due soon": the ``days``-th working day from ``today``."""
    return due_date_for(today or timezone.localdate(), days).due


def records_due_soon(records: QuerySet[Record], *, today: datetime.date | None = None, days: int = 3):
    """Unsubmitted records whose due date is today or within the next ``days`` working days."""
    today = today or timezone.localdate()
    return records.filter(status__in=UNSUBMITTED, due_date__gte=today, due_date__lte=due_soon_end(today, days))


def records_overdue(records: QuerySet[Record], *, today: datetime.date | None = None):
    """Unsubmitted records past their due date (逾期未报)."""
    return records.filter(status__in=UNSUBMITTED, due_date__lt=today or timezone.localdate())


@dataclass
class SemiannualPeriod:
    item: Item
    start: datetime.date
    due: datetime.date  # the period's end, or the last working day before it (SEMIANNUAL_DUE_ON_WORKING_DAY)
    submitted: int
    end: datetime.date | None = None  # the period's last day (None: the due date)

    @property
    def owed(self) -> bool:
        return self.submitted == 0

    @property
    def label(self) -> str:
        return f"{self.due.year}年{'上' if self.due.month <= 6 else '下'}半年"


def submitted_q() -> Q:
    """Records that count as reported: submitted, and not since returned or withdrawn (草稿/已退回 are not reported).
    One rule for the dashboard's semiannual periods, the reminders and oversight's figures."""
    return Q(submitted_at__isnull=False) & ~Q(status__in=UNSUBMITTED)


def unsubmitted_q() -> Q:
    """The records ``submitted_q`` leaves out (still owed), written as the condition of the partial index
    ``record_unsubmitted_by_due`` so that PostgreSQL can count them through it."""
    return Q(submitted_at__isnull=True) | Q(status__in=UNSUBMITTED)


def semiannual_periods(office: Office, *, today: datetime.date | None = None) -> list[SemiannualPeriod]:
    """The semiannual (一年两次) reporting periods of the office's items: last year's second half up to the current one,
    each with how many records were submitted for it; a period with none is still owed."""
    today = today or timezone.localdate()
    items = [item for item in Item.objects.filter(deadline_kind="semiannual", offices=office)]
    if not items:
        return []
    ends: list[tuple[datetime.date, datetime.date]] = []
    day = semiannual_period(datetime.date(today.year - 1, 12, 31))[0]
    while day <= today:
        start, end = semiannual_period(day)
        ends.append((start, end))
        day = end + datetime.timedelta(days=1)
    calendar = WorkingCalendar(ends[0][0], ends[-1][1])
    periods = [(start, end, semiannual_due_date(end, calendar=calendar).due) for start, end in ends]
    submitted = Record.objects.filter(submitted_q(), office=office)
    # A record belongs to the period its due date lies in (the due date may have moved back from the period's end).
    # One capped count per item and period (a fixed number of queries): a period of a big office holds thousands.
    counts = {
        (item.pk, end): capped_count(submitted.filter(item=item, due_date__range=(start, end)))
        for item in items
        for start, end, _due in periods
    }
    return [
        SemiannualPeriod(item=item, start=start, due=due, submitted=counts.get((item.pk, end), 0), end=end)
        for item in items
        for start, end, due in periods
    ]


@dataclass
class OfficeDashboard:
    office: Office
    items: list[Item]
    by_status: dict[str, int]
    due_soon: int
    overdue: int
    returned: int
    periods: list[SemiannualPeriod] = field(default_factory=list)

    @property
    def periods_owed(self) -> list[SemiannualPeriod]:
        return [p for p in self.periods if p.owed]


def _status_counts(office: Office) -> dict[str, int]:
    """The office's records per status, from the counts the database keeps (``credit.models.counts``): a few rows,
    however many years of records the office holds."""
    counts = dict(RecordCount.objects.filter(office=office).order_by().values_list("status").annotate(total=Sum("n")))
    return {status: counts.get(status) or 0 for status in RecordStatus.values}


def office_dashboard(office: Office, *, today: datetime.date | None = None) -> OfficeDashboard:
    """What one office has to do: its items, its records by status, due soon, overdue, returned, periods owed."""
    today = today or timezone.localdate()
    records = Record.objects.filter(office=office)
    items = list(Item.objects.filter(Q(offices=office) | Q(any_office=True)).distinct().order_by("no"))
    by_status = _status_counts(office)
    return OfficeDashboard(
        office=office,
        items=items,
        by_status=by_status,
        due_soon=capped_count(records_due_soon(records, today=today)),
        overdue=capped_count(records_overdue(records, today=today)),
        returned=by_status[RecordStatus.RETURNED],
        periods=semiannual_periods(office, today=today),
    )


@dataclass
class ReviewDashboard:
    queue: int
    changes: int
    overdue: int
    by_office: list[tuple[Office, dict[str, int], int]]


def review_dashboard(*, today: datetime.date | None = None) -> ReviewDashboard:
    """Across offices: the review queue, pending changes, overdue records, and each office's records by status."""
    today = today or timezone.localdate()
    rows = RecordCount.objects.order_by().values_list("office_id", "status").annotate(total=Sum("n"))
    per_office: dict[int, dict[str, int]] = {}
    for office_id, status, n in rows:
        per_office.setdefault(office_id, dict.fromkeys(RecordStatus.values, 0))[status] = n or 0
    offices = list(Office.objects.order_by("id"))
    # Per office, capped (a fixed number of queries, each bounded): overdue drafts pile up with the years.
    overdue = {o.pk: capped_count(records_overdue(Record.objects.filter(office=o), today=today)) for o in offices}
    empty = dict.fromkeys(RecordStatus.values, 0)
    return ReviewDashboard(
        queue=sum(counts.get(RecordStatus.SUBMITTED, 0) for counts in per_office.values()),
        changes=RecordChange.objects.filter(status=ChangeStatus.PENDING).count(),
        overdue=_total(overdue.values()),
        by_office=[(o, per_office.get(o.pk, empty), overdue.get(o.pk, 0)) for o in offices],
    )


def pending_changes(user) -> QuerySet[RecordChange]:
    """Change requests awaiting review on records ``user`` may see."""
    return (
        RecordChange.objects.filter(status=ChangeStatus.PENDING, record__in=Record.objects.restrict(user))
        .select_related("record__item", "record__office", "record__subject", "created_by")
        .order_by("created_at", "id")
    )


def notices_for(user) -> QuerySet[Notice]:
    """Reminders about the records ``user`` may see (a clerk's offices; every office for a reviewer), newest first.

    A clerk's offices are also named on the notice itself (a notice is its record's office's): the newest notices
    are then read from the (office, created) index, not found among every notice the office was ever sent."""
    notices = Notice.objects.filter(record__in=Record.objects.restrict(user))
    if not user.is_reviewer:
        notices = notices.filter(office__in=list(user.offices.values_list("pk", flat=True)))
    return notices.select_related("record__item", "record__subject", "office")


# --- History ----------------------------------------------------------------------------------------------------


@dataclass
class FieldChange:
    label: str
    old: object
    new: object


@dataclass
class HistoryEntry:
    at: datetime.datetime
    user: object
    kind: str  # "+" created, "~" changed
    reason: str
    changes: list[FieldChange]


# Bookkeeping columns the history page does not list as "changes" (the events say what happened).
_QUIET_FIELDS = [
    "updated_at",
    "updated_by",
    "version",
    "created_at",
    "created_by",
    "subject",
    "submitted_at",
    "decided_at",
    "decided_by",
]


def record_history(record: Record, *, reveal: bool = False) -> list[HistoryEntry]:
    """Every saved version of ``record`` with who saved it and what changed (before → after), oldest first.

    Personal identifiers are masked unless ``reveal`` (the caller audits the showing).
    """
    versions = list(record.history.select_related("history_user").order_by("history_date", "history_id"))
    model = type(record)
    entries: list[HistoryEntry] = []
    previous = None
    for version in versions:
        if previous is None:
            changes = []
        else:
            delta = version.diff_against(previous, excluded_fields=_QUIET_FIELDS)
            changes = [
                FieldChange(
                    label=str(model._meta.get_field(c.field).verbose_name),
                    old=_display(model, c.field, c.old, reveal=reveal),
                    new=_display(model, c.field, c.new, reveal=reveal),
                )
                for c in delta.changes
            ]
        entries.append(
            HistoryEntry(
                at=version.history_date,
                user=version.history_user,
                kind=version.history_type,
                reason=version.history_change_reason or "",
                changes=changes,
            )
        )
        previous = version
    return entries


def _display(model, name: str, value, *, reveal: bool = False):
    if value in (None, ""):
        return "—"
    if name in PERSONAL_KEYS and not reveal:
        return mask_cn_id(str(value))
    if isinstance(value, str) and not reveal:
        value = mask_free_text(value)  # an ID or phone number quoted in free text
    model_field = model._meta.get_field(name)
    if model_field.choices:
        return dict(model_field.flatchoices).get(value, value)
    return value


def record_events(record: Record) -> QuerySet[RecordEvent]:
    return RecordEvent.objects.filter(record_id=record.pk).select_related("user", "change").order_by("at", "id")


@dataclass
class EnteredName:
    """One name a subject's records were entered with, by one office: when first and last, on how many records."""

    name: str
    office: str
    first: datetime.datetime
    last: datetime.datetime
    records: int = 0


def subject_name_history(user, subject: Subject) -> list[EnteredName]:
    """The names ``subject``'s records (those ``user`` may see) were entered with, per office, oldest first.

    The subject is its ID number or credit code; its own name is the first one entered and no record renames it, so
    this is where another office's different spelling (or a mistyped number) shows.
    """
    visible = Record.objects.restrict(user).filter(subject=subject)
    names: dict[tuple[str, str], EnteredName] = {}
    for no in sorted(set(visible.values_list("item__no", flat=True))):
        model = model_for_item(no)
        if not model.SUBJECT_NAME_FIELD:
            continue
        rows = (
            model.objects.restrict(user)
            .filter(subject=subject)
            .values_list(model.SUBJECT_NAME_FIELD, "office__name", "created_at")
        )
        for name, office, at in rows:
            entry = names.setdefault((name, office), EnteredName(name=name, office=office, first=at, last=at))
            entry.first, entry.last, entry.records = min(entry.first, at), max(entry.last, at), entry.records + 1
    return sorted(names.values(), key=lambda e: (e.first, e.name))


# --- the record page and the subject page -------------------------------------------------------------------


def subject_for(user, pk) -> Subject:
    """The subject ``pk`` if ``user`` may see its history: reviewers any subject; a clerk only one with a record of
    their offices (otherwise 404, so a clerk cannot probe which people or organisations exist)."""
    try:
        subject = Subject.objects.get(pk=int(pk))
    except (Subject.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
    if not user.is_reviewer and not Record.objects.restrict(user).filter(subject=subject).exists():
        raise Http404
    return subject


def subject_name_for(user, subject: Subject) -> str:
    """The subject's name as ``user`` may see it: a reviewer the subject's own name; a clerk the name entered on the
    newest record of their offices about it.

    The subject is shared by every office's records about the same person or organisation, and its name comes from
    whichever office entered one; shown to a clerk, it would tell them that another office holds a record about the
    subject and what that office called it.
    """
    if user.is_reviewer:
        return subject.name
    latest = subject_records(user, subject).values_list("pk", "item__no").first()
    if latest is None:
        return subject.display_identifier
    pk, item_no = latest
    return model_for_item(item_no).objects.get(pk=pk).subject_name or subject.display_identifier


def subject_records(user, subject: Subject) -> QuerySet[Record]:
    """The subject's records ``user`` may see (a clerk's offices; every office for a reviewer), newest business first."""
    return record_list(user).filter(subject=subject).order_by("-business_date", "-id")


def with_entered_subject_names(records) -> list[Record]:
    """``records`` as a list, each with ``entered_subject_name``: the name it was entered with (one query for all the
    items on the page, a ``UNION ALL`` of the typed tables).

    A list shows the record's own name rather than the shared subject's, which may come from another office's record.
    """
    records = list(records)
    typed: list[Record] = []
    for record in records:
        if getattr(record, "SUBJECT_NAME_FIELD", None):
            record.entered_subject_name = record.subject_name
        else:
            record.entered_subject_name = ""
            typed.append(record)
    for chunk in in_chunks(typed):
        by_item: dict[int, list[int]] = {}
        for record in chunk:
            by_item.setdefault(record.item.no, []).append(record.pk)
        parts = [
            model.objects.filter(pk__in=pks).order_by().values_list("pk", model.SUBJECT_NAME_FIELD)
            for model, pks in ((model_for_item(no), pks) for no, pks in by_item.items())
            if model.SUBJECT_NAME_FIELD
        ]
        found = dict(parts[0].union(*parts[1:], all=True)) if parts else {}
        for record in chunk:
            record.entered_subject_name = found.get(record.pk, "")
    return records
