"""Reads of the oversight app: timeliness and completeness per office and period, computed with aggregate queries in
the manner of DHIS2's reporting-rate and timeliness reports, and indicator progress.

Definitions (one place):

- **Due (应报)**: every record, whatever its status, whose due date falls in the period.
- **Submitted**: the record has a submission time and is not back with its office (draft or returned). Its
  timeliness is that of its latest submission: **on time (按时)** when the submission's local date (Asia/Shanghai)
  is on or before the due date, **late (迟报)** otherwise.
- **Overdue (逾期未报)**: not submitted and the due date is before today (as ``Record.is_overdue``).
- **Pending (未到期)**: not submitted, due today or later.
- **Come due (已到期)** = due − pending: the records whose outcome is known (submitted, or past their due date).
- **On-time rate (及时率)** = on time / come due; **submission rate (报送率)** = (on time + late) / come due. Undefined
  (None, shown "—", not ranked) when nothing has come due: a record not yet due has not failed, and counting it made an
  office with nothing late read 0.0 % at the start of a month (as DHIS2 counts only the periods that have ended).
- **Provisional (暂定)**: how many of the due records have a due date computed on a year whose holidays are not yet
  entered; such figures may move when the calendar is entered.
- **Semiannual reports (一年两次)**: for each item reported twice a year (item 1), one report is expected per
  responsible office and half-year whose due date falls in the period; it is received when that office has at least
  one submitted record of the item for that half-year (due date = the half-year's due date), on time when one was
  submitted by the due date.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import Role
from credit.models import DeadlineKind, Item, Office, Record
from credit.selectors import submitted_q, unsubmitted_q
from credit.services.calendar import semiannual_due_date, semiannual_period
from oversight.aggregates import decision_publication_counts, month_of, pending_flush
from oversight.models import (
    Indicator,
    IndicatorOffice,
    IndicatorRole,
    IndicatorStatus,
    OfficeItemMonth,
    ProgressEntry,
)
from oversight.periods import Period, parse_period


def offices_for(user) -> QuerySet[Office]:
    """The offices whose figures ``user`` may see: every office for a reviewer, a clerk's own, otherwise none."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Office.objects.none()
    if user.role == Role.REVIEWER:
        return Office.objects.all()
    if user.role == Role.CLERK:
        return Office.objects.filter(members=user)
    return Office.objects.none()


def percent(rate: float | None) -> Decimal | None:
    """A rate as a percentage to one decimal, rounded once and half up (四舍五入) from the rate itself: 14/17 →
    82.4, 1/16 → 6.3. The rates are kept exact until shown: rounded to 4 places first, 14/17 became 0.8235 and then
    “82.3%”, and 1/16's 6.25 went to the even 6.2."""
    if rate is None:
        return None
    # round(…, 9) drops the float's noise (0.145 × 100 = 14.499999999999998) before the decimal rounding.
    return Decimal(repr(round(float(rate) * 100, 9))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def percent_text(rate: float | None) -> str:
    """``percent`` as page text: "82.4%"; None (nothing due) → "—"."""
    value = percent(rate)
    return "—" if value is None else f"{value}%"


@dataclass
class Figures:
    due: int = 0
    on_time: int = 0
    late: int = 0
    overdue: int = 0
    pending: int = 0
    provisional: int = 0

    @property
    def submitted(self) -> int:
        return self.on_time + self.late

    @property
    def come_due(self) -> int:
        return self.due - self.pending

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.come_due if self.come_due else None

    @property
    def submission_rate(self) -> float | None:
        return self.submitted / self.come_due if self.come_due else None

    def as_dict(self) -> dict:
        return {
            **asdict(self),
            "submitted": self.submitted,
            "come_due": self.come_due,
            "on_time_rate": self.on_time_rate,
            "submission_rate": self.submission_rate,
        }


@dataclass
class SemiannualFigures:
    expected: int = 0
    received: int = 0
    received_on_time: int = 0

    @property
    def missing(self) -> int:
        return self.expected - self.received


@dataclass
class PublicationFigures:
    """双公示 timeliness of the decisions taken in the period (by decision date), penalties and licensing decisions:
    made public, and delivered to the municipal platform, by the 7th working day after the decision (on time) or later
    (迟报)."""

    published_on_time: int = 0
    published_late: int = 0
    delivered_on_time: int = 0
    delivered_late: int = 0

    @property
    def published(self) -> int:
        return self.published_on_time + self.published_late

    @property
    def delivered(self) -> int:
        return self.delivered_on_time + self.delivered_late

    @property
    def late_rate(self) -> float | None:
        """迟报率: published late ÷ published."""
        return self.published_late / self.published if self.published else None

    @property
    def delivery_late_rate(self) -> float | None:
        """报送迟报率: delivered to the platform late ÷ delivered."""
        return self.delivered_late / self.delivered if self.delivered else None

    def add(self, other: PublicationFigures) -> None:
        for name in PUBLICATION_COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict:
        return {
            **asdict(self),
            "published": self.published,
            "delivered": self.delivered,
            "late_rate": self.late_rate,
            "delivery_late_rate": self.delivery_late_rate,
        }


PUBLICATION_COUNTS = ("published_on_time", "published_late", "delivered_on_time", "delivered_late")


@dataclass
class OfficeTimeliness:
    office: Office
    figures: Figures = field(default_factory=Figures)
    semiannual: SemiannualFigures = field(default_factory=SemiannualFigures)
    rank: int | None = None
    publication: PublicationFigures = field(default_factory=PublicationFigures)
    # 双公示 items of the office whose submission deadline leaves the reviewers no time to publish in time.
    tight_deadlines: list = field(default_factory=list)


def tight_deadline_items(offices: QuerySet[Office]) -> dict[int, list[Item]]:
    """Per office: the 双公示 items it reports whose submission deadline leaves less than the review time
    (``OVERSIGHT_REVIEW_WORKING_DAYS``) before the publication deadline (``PUBLICITY_PUBLISH_WORKING_DAYS`` after the
    decision). A record submitted on its due date then cannot be published in time, however quick the review."""
    from credit.catalog import PENALTY

    publish, review = settings.PUBLICITY_PUBLISH_WORKING_DAYS, settings.OVERSIGHT_REVIEW_WORKING_DAYS
    office_ids = set(offices.values_list("pk", flat=True))
    flagged: dict[int, list[Item]] = {}
    items = Item.objects.filter(publicity=PENALTY, deadline_kind=DeadlineKind.WORKING_DAYS).prefetch_related("offices")
    for item in items.order_by("no"):
        if (item.deadline_days or publish) > publish - review:
            for office in item.offices.all():
                if office.pk in office_ids:
                    flagged.setdefault(office.pk, []).append(item)
    return flagged


def _with_submission_date(records: QuerySet[Record]) -> QuerySet[Record]:
    return records.annotate(submitted_on=TruncDate("submitted_at", tzinfo=ZoneInfo(settings.TIME_ZONE)))


def records_due(*, period: Period, offices: QuerySet[Office]) -> QuerySet[Record]:
    """The records due in ``period`` of ``offices`` (the denominator of every figure)."""
    return Record.objects.filter(due_date__gte=period.start, due_date__lte=period.end, office__in=offices)


def classified_records(*, period: Period, offices: QuerySet[Office], today: datetime.date | None = None):
    """The records due in the period, each annotated with ``timeliness`` (on_time / late / overdue / pending)."""
    from django.db.models import Case, CharField, Value, When

    today = today or timezone.localdate()
    submitted = submitted_q()
    return (
        _with_submission_date(records_due(period=period, offices=offices))
        .annotate(
            timeliness=Case(
                When(submitted & Q(submitted_on__lte=F("due_date")), then=Value("on_time")),
                When(submitted, then=Value("late")),
                When(due_date__lt=today, then=Value("overdue")),
                default=Value("pending"),
                output_field=CharField(),
            )
        )
        .select_related("item", "office")
        .order_by("due_date", "id")
    )


TIMELINESS_LABELS = {
    "on_time": gettext_lazy("按时报送"),
    "late": gettext_lazy("迟报"),
    "overdue": gettext_lazy("逾期未报"),
    "pending": gettext_lazy("未到期"),
}


def semiannual_due_dates(period: Period) -> list[datetime.date]:
    """The due dates of the semiannual reporting periods (一年两次) that end in ``period`` (each moved back to a working
    day when ``SEMIANNUAL_DUE_ON_WORKING_DAY`` says so)."""
    dates = []
    end = semiannual_period(period.start)[1]
    while end <= period.end:
        dates.append(semiannual_due_date(end).due)
        end = semiannual_period(end + datetime.timedelta(days=1))[1]
    return dates


def semiannual_reports(*, period: Period, offices: QuerySet[Office], today: datetime.date | None = None) -> list[dict]:
    """Expected vs received semiannual reports per item, responsible office and half-year due in ``period``.

    A half-year not received whose due date is still to come (``today`` or later) is ``pending`` (未到期), as a record
    is: it is not yet expected, so an office is not shown missing a report it may still make on time.

    Read from the maintained cells: every record of a semiannual item is due on its half-year's due date, the only
    one in that month, so the cell of the due month holds the half-year's records (submitted = on time + late)."""
    today = today or timezone.localdate()
    dues = semiannual_due_dates(period)
    if not dues:
        return []
    items = list(Item.objects.filter(deadline_kind=DeadlineKind.SEMIANNUAL).prefetch_related("offices"))
    office_ids = set(offices.values_list("id", flat=True))
    due_of_month = {month_of(due): due for due in dues}
    received = {
        (item_id, office_id, due_of_month[month]): {"n": on_time + late, "on_time": on_time}
        for item_id, office_id, month, on_time, late in _maintained()
        .filter(item__in=items, office_id__in=office_ids, month__in=list(due_of_month))
        .filter(Q(on_time__gt=0) | Q(late__gt=0))
        .values_list("item_id", "office_id", "month", "on_time", "late")
    }
    rows = []
    for item in items:
        for office in item.offices.all():
            if office.id not in office_ids:
                continue
            for due in dues:
                got = received.get((item.id, office.id, due))
                rows.append(
                    {
                        "item": item,
                        "office": office,
                        "period_start": semiannual_period(due)[0],
                        "due_date": due,
                        "received": bool(got),
                        "records": got["n"] if got else 0,
                        "on_time": bool(got and got["on_time"]),
                        "pending": not got and due >= today,
                    }
                )
    return rows


def _rank(rows: list[OfficeTimeliness]) -> list[OfficeTimeliness]:
    """Order by on-time rate (best first; offices with nothing come due last, unranked), then more records due;
    competition ranks."""

    def key(r: OfficeTimeliness):
        rate = r.figures.on_time_rate
        return (rate is None, -(rate or 0), -r.figures.due, r.office.id)

    rows.sort(key=key)
    previous, rank = None, 0
    for position, row in enumerate(rows, start=1):
        rate = row.figures.on_time_rate
        if rate is None:
            row.rank = None
            continue
        if rate != previous:
            rank, previous = position, rate
        row.rank = rank
    return rows


def _maintained() -> QuerySet[OfficeItemMonth]:
    """The maintained cells, with what this transaction changed counted first: every read of them starts here."""
    pending_flush()
    return OfficeItemMonth.objects.all()


def _cells(*, period: Period, offices: QuerySet[Office]) -> QuerySet[OfficeItemMonth]:
    """The maintained cells (``OfficeItemMonth``) of ``offices`` in ``period`` (periods are whole months)."""
    return _maintained().filter(month__gte=period.start, month__lte=period.end, office__in=offices)


def _cell_sums(today: datetime.date) -> dict:
    # Unsubmitted records of a month before today's are all overdue; those of today's month are split by a count of
    # that month's records alone (``_overdue_this_month``); later months' are pending.
    return {
        "due": Sum("due"),
        "on_time": Sum("on_time"),
        "late": Sum("late"),
        "provisional": Sum("provisional"),
        "overdue": Sum("unsubmitted", filter=Q(month__lt=month_of(today))),
        **{name: Sum(name) for name in PUBLICATION_COUNTS},
    }


def _overdue_this_month(
    *, period: Period, offices: QuerySet[Office], today: datetime.date, key: str | None
) -> dict[object, int]:
    """Unsubmitted records due in today's month before today (by ``key``: office_id, or None for the whole): the one
    month whose overdue figure the cells cannot hold, counted from its own records (office + due date index)."""
    month = month_of(today)
    if not period.start <= month <= period.end or today == month:
        return {}
    records = Record.objects.filter(unsubmitted_q(), office__in=offices, due_date__gte=month, due_date__lt=today)
    if key is None:
        return {None: records.count()}
    return dict(records.order_by().values(key).annotate(n=Count("id")).values_list(key, "n"))


def _figures_of(row: dict, extra_overdue: int = 0) -> Figures:
    f = Figures(
        due=row["due"] or 0,
        on_time=row["on_time"] or 0,
        late=row["late"] or 0,
        overdue=(row["overdue"] or 0) + extra_overdue,
        provisional=row["provisional"] or 0,
    )
    f.pending = f.due - f.on_time - f.late - f.overdue
    return f


def timeliness_by_office(
    *, period: Period, offices: QuerySet[Office], today: datetime.date | None = None
) -> tuple[list[OfficeTimeliness], Figures]:
    """Per office of ``offices`` (ranked by on-time rate) and in total: the figures of ``period``, from the maintained
    cells (``OfficeItemMonth``). A few queries plus one for the semiannual reports, whatever the number of records."""
    today = today or timezone.localdate()
    office_list = list(offices.order_by("id"))
    by_id = {o.id: OfficeTimeliness(office=o) for o in office_list}
    this_month = _overdue_this_month(period=period, offices=offices, today=today, key="office_id")
    rows = _cells(period=period, offices=offices).order_by().values("office_id").annotate(**_cell_sums(today))
    total = Figures()
    for row in rows:
        figures = _figures_of(row, this_month.get(row["office_id"], 0))
        by_id[row["office_id"]].figures = figures
        by_id[row["office_id"]].publication = PublicationFigures(**{n: row[n] or 0 for n in PUBLICATION_COUNTS})
        for name in ("due", "on_time", "late", "overdue", "pending", "provisional"):
            setattr(total, name, getattr(total, name) + getattr(figures, name))
    # The licensing decisions are 双公示 too (indicator 3: 行政许可和行政处罚): their publication and delivery count
    # beside the penalties'.
    for office_id, counts in decision_publication_counts(start=period.start, end=period.end, office_ids=by_id).items():
        by_id[office_id].publication.add(PublicationFigures(**{n: counts[n] for n in PUBLICATION_COUNTS}))
    for report in semiannual_reports(period=period, offices=offices, today=today):
        if report["pending"]:
            continue  # 未到期: expected once its due date has passed (or as soon as it is received)
        semi = by_id[report["office"].id].semiannual
        semi.expected += 1
        semi.received += report["received"]
        semi.received_on_time += report["on_time"]
    for office_id, items in tight_deadline_items(offices).items():
        by_id[office_id].tight_deadlines = items
    return _rank(list(by_id.values())), total


def publication_total(rows: list[OfficeTimeliness]) -> PublicationFigures:
    """The 双公示 timeliness over ``rows`` (as returned by ``timeliness_by_office``)."""
    total = PublicationFigures()
    for row in rows:
        total.add(row.publication)
    return total


def monthly_trend(*, year: int, offices: QuerySet[Office], today: datetime.date | None = None) -> list[dict]:
    """For each month of ``year``: the figures of the records due that month (the overdue trend)."""
    today = today or timezone.localdate()
    period = parse_period(str(year))
    this_month = _overdue_this_month(period=period, offices=offices, today=today, key=None).get(None, 0)
    rows = {
        row["month"].month: _figures_of(row, this_month if row["month"] == month_of(today) else 0)
        for row in _cells(period=period, offices=offices).order_by().values("month").annotate(**_cell_sums(today))
    }
    return [
        {
            "month": m.key,
            "label": _("%(month)d月") % {"month": m.start.month},
            "figures": rows.get(m.start.month, Figures()),
        }
        for m in period.months()
    ]


def records_by_item(*, period: Period, offices: QuerySet[Office]) -> list[dict]:
    """Records due in ``period`` per item (with its information category), every item listed."""
    counts = dict(
        _cells(period=period, offices=offices)
        .order_by()
        .values("item_id")
        .annotate(n=Sum("due"))
        .values_list("item_id", "n")
    )
    return [
        {"no": item.no, "name": item.name, "category": item.info_category, "count": counts.get(item.id, 0)}
        for item in Item.objects.order_by("no")
    ]


def records_by_category(*, period: Period, offices: QuerySet[Office]) -> list[dict]:
    """Records due in ``period`` per information category (基础信息, 失信信息, 守信信息, 其他信息)."""
    rows = {}
    for item in records_by_item(period=period, offices=offices):
        rows[item["category"]] = rows.get(item["category"], 0) + item["count"]
    return [{"category": k, "count": v} for k, v in rows.items()]


def indicators_for(*, user, year: int) -> QuerySet[Indicator]:
    """The indicators of ``year`` that ``user`` may see, with their offices and progress counts."""
    return (
        Indicator.objects.restrict(user)
        .filter(year=year)
        .select_related("lead_office", "decided_by")
        .prefetch_related("assignments__office")
        .annotate(entries=Count("progress", distinct=True))
        .order_by("no")
    )


def indicator_progress_by_office(*, year: int, period: Period, offices: QuerySet[Office]) -> dict[int, dict]:
    """Per office: indicators it answers for in ``year`` (assigned / leading / done) and progress entries in period."""
    start = timezone.make_aware(datetime.datetime.combine(period.start, datetime.time.min))
    end = timezone.make_aware(datetime.datetime.combine(period.end + datetime.timedelta(days=1), datetime.time.min))
    result: dict[int, dict] = {}
    for row in (
        IndicatorOffice.objects.filter(indicator__year=year, office__in=offices)
        .order_by()
        .values("office_id")
        .annotate(
            assigned=Count("id"),
            leading=Count("id", filter=Q(role=IndicatorRole.LEAD)),
            done=Count("id", filter=Q(indicator__status=IndicatorStatus.DONE)),
        )
    ):
        result[row["office_id"]] = {**row, "entries": 0}
    for row in (
        ProgressEntry.objects.filter(indicator__year=year, office__in=offices, at__gte=start, at__lt=end)
        .order_by()
        .values("office_id")
        .annotate(n=Count("id"))
    ):
        result.setdefault(row["office_id"], {"assigned": 0, "leading": 0, "done": 0})["entries"] = row["n"]
    return result


def _pct(rate: float | None) -> str:
    return percent_text(rate)


def bulletin_data(*, period: Period, today: datetime.date | None = None) -> dict:
    """The figures of a work bulletin over every office: JSON-ready, stored with the bulletin as generated."""
    today = today or timezone.localdate()
    offices = Office.objects.all()
    rows, total = timeliness_by_office(period=period, offices=offices, today=today)
    progress = indicator_progress_by_office(year=period.year, period=period, offices=offices)
    completeness = {c["office"].pk: c for c in completeness_by_office(period=period, offices=offices, today=today)}
    office_rows = []
    for row in rows:
        p = progress.get(row.office.id, {})
        c = completeness.get(row.office.id, {})
        office_rows.append(
            {
                "rank": row.rank,
                "office_code": row.office.code,
                "office_name": row.office.name,
                **row.figures.as_dict(),
                "on_time_rate_text": _pct(row.figures.on_time_rate),
                "submission_rate_text": _pct(row.figures.submission_rate),
                "semiannual_expected": row.semiannual.expected,
                "semiannual_received": row.semiannual.received,
                "indicators_assigned": p.get("assigned", 0),
                "indicators_done": p.get("done", 0),
                "progress_entries": p.get("entries", 0),
                **{f"publication_{k}": v for k, v in row.publication.as_dict().items()},
                "publication_late_rate_text": _pct(row.publication.late_rate),
                "publication_delivery_late_rate_text": _pct(row.publication.delivery_late_rate),
                "tight_deadline_items": [f"{item.no}. {item.name}" for item in row.tight_deadlines],
                "reports_expected": c.get("expected", 0),
                "reports_received": c.get("received", 0),
                "reports_nil": c.get("nil", 0),
                "reports_missing": c.get("missing", 0),
            }
        )
    publication = publication_total(rows)
    indicators = []
    for ind in (
        Indicator.objects.filter(year=period.year)
        .prefetch_related("assignments__office")
        .annotate(entries=Count("progress"))
        .order_by("no")
    ):
        indicators.append(
            {
                "no": ind.no,
                "text": ind.text,
                "status": ind.status,
                "status_display": str(ind.get_status_display()),
                "lead": "、".join(a.office.name for a in ind.assignments.all() if a.role == IndicatorRole.LEAD),
                "cooperating": "、".join(
                    a.office.name for a in ind.assignments.all() if a.role == IndicatorRole.COOPERATING
                ),
                "entries": ind.entries,
                "comment": ind.status_comment,
            }
        )
    return {
        "period": period.key,
        "period_label": period.label,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "as_of": today.isoformat(),
        "title": _("信用信息报送工作通报（%(period)s）") % {"period": period.label},
        "offices": office_rows,
        "totals": {**total.as_dict(), "on_time_rate_text": _pct(total.on_time_rate)},
        "publication_totals": {
            **publication.as_dict(),
            "late_rate_text": _pct(publication.late_rate),
            "delivery_late_rate_text": _pct(publication.delivery_late_rate),
        },
        "completeness_totals": {
            key: sum(c[key] for c in completeness.values()) for key in ("expected", "received", "nil", "missing")
        },
        "indicators": indicators,
    }


# -- completeness: 零报告 (nil returns) -----------------------------------------------------------------------------


def _month_starts(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def expected_months(period: Period, today: datetime.date) -> list[datetime.date]:
    """The months of ``period`` a monthly report is owed for: those wholly inside it and over before ``today``."""
    months = []
    for month in _month_starts(period.start, period.end):
        last = (month + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
        if month >= period.start and last <= period.end and last < today:
            months.append(month)
    return months


def monthly_items_owned(offices: QuerySet[Office]) -> dict[int, list[Item]]:
    """Per office, the items it is responsible for (``Item.offices``) that are reported as they happen: the
    semiannual (一年两次) ones have their own expected reports (``semiannual_reports``)."""
    from credit.catalog import ItemSpec

    owned: dict[int, list[Item]] = {}
    for item in Item.objects.prefetch_related("offices").order_by("no"):
        if ItemSpec.get(item.no).is_semiannual:
            continue
        for office in item.offices.all():
            owned.setdefault(office.pk, []).append(item)
    return {pk: items for pk, items in owned.items() if pk in set(offices.values_list("pk", flat=True))}


def completeness_by_office(
    *, period: Period, offices: QuerySet[Office], today: datetime.date | None = None
) -> list[dict]:
    """Expected monthly reports (months × items owned), received (at least one reported record of the item with its
    business date in the month), nil (零报告) and missing (缺报: neither), per office; with the missing cells.

    An office that entered nothing and confirmed nothing shows every expected month as missing, instead of a perfect
    timeliness rate over zero records."""
    today = today or timezone.localdate()
    months = expected_months(period, today)
    owned = monthly_items_owned(offices)
    if not months:
        return []
    first, last = months[0], (months[-1] + datetime.timedelta(days=32)).replace(day=1)
    cells = (
        _maintained()
        .filter(office__in=offices, month__gte=first, month__lt=last)
        .filter(Q(reported__gt=0) | Q(nil=True))
    )
    received, nil = set(), set()
    for office_id, item_id, month, reported in cells.values_list("office_id", "item_id", "month", "reported"):
        (received if reported else nil).add((office_id, item_id, month))
    rows = []
    for office in offices.order_by("pk"):
        items = owned.get(office.pk, [])
        if not items:
            continue
        row = {"office": office, "expected": 0, "received": 0, "nil": 0, "missing": 0, "missing_cells": []}
        for item in items:
            for month in months:
                row["expected"] += 1
                key = (office.pk, item.pk, month)
                if key in received:
                    row["received"] += 1
                elif key in nil:
                    row["nil"] += 1
                else:
                    row["missing"] += 1
                    row["missing_cells"].append((item, month))
        row["completeness_rate"] = (row["received"] + row["nil"]) / row["expected"] if row["expected"] else None
        rows.append(row)
    return rows


# -- decision-number gaps (断号) ------------------------------------------------------------------------------------

DECISION_NUMBER = re.compile(r"^\s*(?P<prefix>\S+?)\s*[〔\[（(](?P<year>\d{4})[〕\]）)]\s*第?(?P<n>\d{1,6})\s*号\s*$")


def decision_number_gaps(*, year: int, offices: QuerySet[Office]) -> list[dict]:
    """Per office, penalty item (those whose catalogue maps a record field to the national 决定文书号 column cf_wsh)
    and number prefix, the numbers missing between the lowest and highest decision number of ``year`` that the
    office reported (洪教罚〔2026〕3号 and 5号 but no 4号 → 4): possible unreported decisions, for a 瞒报 check.

    Records count whatever their status except drafts (a returned or revoked decision still used its number)."""
    from credit.catalog import ItemSpec
    from credit.models import RecordStatus
    from credit.registry import model_for_item

    numbers: dict[tuple[int, int, str], set[int]] = {}
    for spec in ItemSpec.all():
        field_key = spec.penalty_columns.source("cf_wsh") if spec.penalty_columns else None
        if not field_key:
            continue
        values = (
            model_for_item(spec.no)
            .objects.filter(office__in=offices)
            .exclude(status=RecordStatus.DRAFT)
            .filter(**{f"{field_key}__contains": str(year)})
            .values_list("office_id", field_key)
        )
        for office_id, text in values:
            match = DECISION_NUMBER.match(text or "")
            if match and int(match["year"]) == year:
                numbers.setdefault((office_id, spec.no, match["prefix"]), set()).add(int(match["n"]))
    names = dict(Office.objects.filter(pk__in={k[0] for k in numbers}).values_list("pk", "name"))
    rows = []
    for (office_id, no, prefix), seen in sorted(numbers.items()):
        missing = sorted(set(range(min(seen), max(seen) + 1)) - seen)
        if missing:
            rows.append(
                {
                    "office": names[office_id],
                    "item_no": no,
                    "prefix": prefix,
                    "year": year,
                    "reported": len(seen),
                    "missing": [f"{prefix}〔{year}〕{n}号" for n in missing],
                }
            )
    return rows
