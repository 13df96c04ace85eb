"""Working days and due dates on the official PRC calendar (holidays and 调休 adjusted working days).

The calendar is data in ``CalendarDay``; chinesecalendar only seeds it. A year is official once the system admin
marks it complete (``CalendarYear.complete``). For any other year the statutory holidays of 《全国年节及纪念日放假办法》
(as amended in 2024, in force from 2025) are computed (``statutory_holidays``), stored days win over them, and every
date computed through the year is provisional (暂定). Any change to the calendar recomputes the stored due dates it can
move (``due_dates_recompute``), records the change on each record and tells the offices.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from credit.models import CalendarDay, CalendarYear, DayKind
from credit.models.calendar import validate_calendar_date, validate_calendar_year
from credit.signals import due_dates_changed

# A generous bound: seven working days never span more than this many calendar days, even over Spring Festival.
_MAX_SPAN_PER_DAY = 6


class CalendarRangeError(ValidationError):
    """A date computed on the calendar would fall past 9999-12-31, the last date Python and the database can hold."""


def _out_of_range(start: datetime.date, days: int) -> CalendarRangeError:
    return CalendarRangeError(
        _("%(start)s 之后第 %(days)d 个工作日超出日历范围（最晚为 9999-12-31）。")
        % {"start": start.isoformat(), "days": days},
        code="calendar_range",
    )


@dataclass(frozen=True)
class DueDate:
    due: datetime.date
    provisional: bool


def chinesecalendar_days() -> Iterator[tuple[datetime.date, str, str]]:
    """(date, kind, Chinese name) of every holiday and adjusted working day chinesecalendar knows."""
    import chinese_calendar

    names = {h.value: h.chinese for h in chinese_calendar.Holiday}
    for day, name in sorted(chinese_calendar.holidays.items()):
        yield day, DayKind.HOLIDAY, names.get(name, name or "")
    for day, name in sorted(chinese_calendar.workdays.items()):
        yield day, DayKind.WORKDAY, names.get(name, name or "")


# The notice recorded on the years seeded from the chinesecalendar package (which transcribes each year's notice).
CHINESECALENDAR_NOTICE = "国务院办公厅放假安排通知（chinesecalendar 数据）"

# The statutory holidays are computed for years from the current rule's first year (the 2024 amendment of
# 《全国年节及纪念日放假办法》, in force from 2025-01-01) up to this one; outside, plain Monday–Friday stands in.
STATUTORY_RULE_FIRST_YEAR = 2025
STATUTORY_RULE_LAST_YEAR = 2199


@lru_cache(maxsize=256)
def statutory_holidays(year: int) -> dict[datetime.date, str]:
    """The statutory holidays (全体公民放假的节日) of ``year``: date → name; empty outside the rule's years.

    元旦 1 January; 春节 农历除夕 to 正月初三 (4 days); 清明 the day of the 清明 solar term; 劳动节 1–2 May; 端午 农历五月初五;
    中秋 农历八月十五; 国庆 1–3 October. The 调休 swaps and 补休 days of each year's notice cannot be computed: they come
    when the admin enters the notice. Lunar dates and solar terms from lunar_python.
    """
    if not STATUTORY_RULE_FIRST_YEAR <= year <= STATUTORY_RULE_LAST_YEAR:
        return {}
    from lunar_python import Lunar, Solar

    def lunar(month: int, day: int) -> datetime.date:
        solar = Lunar.fromYmd(year, month, day).getSolar()
        return datetime.date(solar.getYear(), solar.getMonth(), solar.getDay())

    days: dict[datetime.date, str] = {datetime.date(year, 1, 1): _("元旦")}
    new_year = lunar(1, 1)
    for offset in range(-1, 3):  # 除夕 (the day before 正月初一, whether 腊月廿九 or 三十) to 初三
        days[new_year + datetime.timedelta(days=offset)] = _("春节")
    qingming = Solar.fromYmd(year, 4, 1).getLunar().getJieQiTable()["清明"]
    days[datetime.date(qingming.getYear(), qingming.getMonth(), qingming.getDay())] = _("清明节")
    for dom in (1, 2):
        days[datetime.date(year, 5, dom)] = _("劳动节")
    days[lunar(5, 5)] = _("端午节")
    days[lunar(8, 15)] = _("中秋节")
    for dom in (1, 2, 3):
        days[datetime.date(year, 10, dom)] = _("国庆节")
    return days


def official_years(first: int, last: int) -> set[int]:
    """The years between ``first`` and ``last`` the system admin has marked complete."""
    return set(
        CalendarYear.objects.filter(year__gte=first, year__lte=last, complete=True).values_list("year", flat=True)
    )


class WorkingCalendar:
    """The calendar between two dates, loaded in two queries.

    ``special`` maps each date that differs from Monday–Friday to its kind: the stored days, and in a year that is not
    official the computed statutory holidays where no day is stored. ``known_years`` are the official years.
    """

    def __init__(self, start: datetime.date, end: datetime.date):
        stored = dict(CalendarDay.objects.filter(date__gte=start, date__lte=end).values_list("date", "kind"))
        self.known_years = official_years(start.year, end.year)
        self.special: dict[datetime.date, str] = {}
        first = max(start.year, STATUTORY_RULE_FIRST_YEAR)
        last = min(end.year, STATUTORY_RULE_LAST_YEAR)
        for year in range(first, last + 1):
            if year not in self.known_years:
                for day in statutory_holidays(year):
                    if start <= day <= end:
                        self.special[day] = DayKind.HOLIDAY
        self.special.update(stored)

    def is_working_day(self, day: datetime.date) -> bool:
        kind = self.special.get(day)
        if kind == DayKind.HOLIDAY:
            return False
        if kind == DayKind.WORKDAY:
            return True
        return day.weekday() < 5

    def add_working_days(self, start: datetime.date, days: int) -> DueDate:
        """The ``days``-th working day after ``start`` (``start`` itself not counted).

        Raises CalendarRangeError when that day would come after ``datetime.date.max``.
        """
        day, counted, provisional = start, 0, False
        while counted < days:
            if day == datetime.date.max:
                raise _out_of_range(start, days)
            day += datetime.timedelta(days=1)
            provisional = provisional or day.year not in self.known_years
            if self.is_working_day(day):
                counted += 1
        return DueDate(day, provisional)

    def last_working_day_until(self, day: datetime.date) -> DueDate:
        """``day`` if it is a working day, else the last working day before it (within the loaded range)."""
        provisional = day.year not in self.known_years
        while not self.is_working_day(day) and day > datetime.date.min:
            day -= datetime.timedelta(days=1)
            provisional = provisional or day.year not in self.known_years
        return DueDate(day, provisional)


def _span(days: int) -> datetime.timedelta:
    return datetime.timedelta(days=days * _MAX_SPAN_PER_DAY + 14)


def due_date_for(start: datetime.date, days: int) -> DueDate:
    """The seventh (or ``days``-th) working day after ``start``, and whether it rests on a year not yet official.

    Raises CalendarRangeError (a ValidationError with a Chinese message) when the due date would come after
    9999-12-31, so that no caller fails with OverflowError on a business date typed at the calendar's edge.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    span = _span(days)
    end = start + span if start <= datetime.date.max - span else datetime.date.max
    return WorkingCalendar(start, end).add_working_days(start, days)


def working_days_between(start: datetime.date, end: datetime.date, *, calendar: WorkingCalendar | None = None) -> int:
    """Working days after ``start`` up to and including ``end``; negative when ``end`` lies before ``start``.
    ``calendar`` (one already loaded over both dates) saves the queries when counting many rows.

    Counted arithmetically (Monday–Friday, then the calendar's holidays and 调休 working days in the range), so a
    span of years costs no more than a span of days."""
    if end == start:
        return 0
    lo, hi, sign = (start, end, 1) if end > start else (end, start, -1)
    cal = calendar or WorkingCalendar(lo, hi)
    full_weeks, rest = divmod((hi - lo).days, 7)
    days = full_weeks * 5 + sum(1 for i in range(1, rest + 1) if (lo.weekday() + i) % 7 < 5)
    for day, kind in cal.special.items():
        if lo < day <= hi:
            weekday = day.weekday() < 5
            if kind == DayKind.HOLIDAY and weekday:
                days -= 1
            elif kind == DayKind.WORKDAY and not weekday:
                days += 1
    return sign * days


def semiannual_period(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """(start, end) of the semiannual reporting period (一年两次) that contains ``day``; the period's due date is its
    end, or the last working day before it (``semiannual_due_date``).

    Raises CalendarRangeError when the period's end would fall in the year 10000.
    """
    previous_end = None
    for month, dom in sorted(settings.SEMIANNUAL_DUE_DATES):
        end = datetime.date(day.year, month, dom)
        if day <= end:
            start = previous_end + datetime.timedelta(days=1) if previous_end else datetime.date(day.year, 1, 1)
            return start, end
        previous_end = end
    first_month, first_dom = sorted(settings.SEMIANNUAL_DUE_DATES)[0]
    if day.year == datetime.MAXYEAR:
        raise CalendarRangeError(
            _("%(date)s 所在报送期的截止日期超出日历范围（最晚为 9999-12-31）。") % {"date": day.isoformat()},
            code="calendar_range",
        )
    return previous_end + datetime.timedelta(days=1), datetime.date(day.year + 1, first_month, first_dom)


def semiannual_due_date(period_end: datetime.date, *, calendar: WorkingCalendar | None = None) -> DueDate:
    """The due date of the semiannual period ending ``period_end``: the end itself, or, when it is not a working day
    and ``SEMIANNUAL_DUE_ON_WORKING_DAY`` is on, the last working day before it."""
    if not settings.SEMIANNUAL_DUE_ON_WORKING_DAY:
        return DueDate(period_end, False)
    cal = calendar or WorkingCalendar(period_end - datetime.timedelta(days=31), period_end)
    return cal.last_working_day_until(period_end)


def item_due_date(item, business_date: datetime.date, *, calendar: WorkingCalendar | None = None) -> DueDate:
    """The due date of a record of ``item`` whose business happened on ``business_date``. ``calendar`` (loaded over
    the business date and the due date) saves the queries when computing many."""
    if item.deadline_kind == "semiannual":
        return semiannual_due_date(semiannual_period(business_date)[1], calendar=calendar)
    days = item.deadline_days or 7
    if calendar is None:
        return due_date_for(business_date, days)
    return calendar.add_working_days(business_date, days)


# Records whose deadline is still open: the office has not submitted them (or must submit them again).
_OPEN_STATUSES = ("draft", "returned")
# How far before a changed day a semiannual due date can lie and still move (it moves back over non-working days).
_SEMIANNUAL_REACH = datetime.timedelta(days=31)
# Calendar days after the last business date that the recompute's calendar covers (a year: semiannual periods).
_RECOMPUTE_HORIZON = datetime.timedelta(days=400)


@dataclass
class RecomputeResult:
    moved: int  # records whose due date moved (history entry written, office told when the deadline is open)
    updated: int  # records whose due date or provisional flag changed


@transaction.atomic
def due_dates_recompute(*, first: datetime.date, last: datetime.date, reason: str = "", user=None) -> RecomputeResult:
    """Recompute the stored due dates a calendar change between ``first`` and ``last`` (both included) can move.

    Recomputed: every provisional due date, and the official ones of records whose deadline is still open (草稿 or
    退回, not yet submitted). A submitted or decided record keeps the official due date it was measured against.
    Each record whose due date moves gets a history entry (``RecordEvent`` 截止日期调整 with the old and new date);
    when its deadline is open its office gets a notice (workspace and the reminders' e-mail), and its due-soon and
    overdue reminders of the old date are dropped so that they come again for the new one.

    Set-based: one query for the candidates, one calendar load, one bulk update, bulk inserts.
    """
    from django.db.models import Q

    from credit.models import EventAction, Notice, NoticeKind, Record, RecordEvent
    from credit.models.lifecycle import ONCE_PER_RECORD_KINDS

    candidates = list(
        Record.objects.filter(Q(due_date_provisional=True) | Q(status__in=_OPEN_STATUSES))
        .filter(business_date__lte=last, due_date__gte=first - _SEMIANNUAL_REACH)
        .select_related("item")
        .select_for_update(of=("self",))
    )
    if not candidates:
        due_dates_changed.send(sender=Record, first=first, last=last, changes=[])
        return RecomputeResult(0, 0)
    lo = min(r.business_date for r in candidates) - _SEMIANNUAL_REACH
    hi_base = max(r.business_date for r in candidates)
    # A year covers any semiannual period; an item's working days (tunable in the admin) may need more.
    horizon = max(_RECOMPUTE_HORIZON, *(_span(r.item.deadline_days or 7) for r in candidates))
    hi = hi_base + horizon if hi_base <= datetime.date.max - horizon else datetime.date.max
    calendar = WorkingCalendar(lo, hi)
    changed: list[Record] = []
    changes: list[tuple[int, datetime.date]] = []
    moved: list[tuple[Record, datetime.date]] = []
    for record in candidates:
        try:
            result = item_due_date(record.item, record.business_date, calendar=calendar)
        except CalendarRangeError:
            continue
        if (result.due, result.provisional) == (record.due_date, record.due_date_provisional):
            continue
        old = record.due_date
        record.due_date, record.due_date_provisional = result.due, result.provisional
        changed.append(record)
        changes.append((record.pk, old))
        if result.due != old:
            moved.append((record, old))
    Record.objects.bulk_update(changed, ["due_date", "due_date_provisional"], batch_size=500)
    due_dates_changed.send(sender=Record, first=first, last=last, changes=changes)

    events, notices, later = [], [], []
    for record, old in moved:
        new = record.due_date.isoformat() + (_("（暂定）") if record.due_date_provisional else "")
        text = _("报送截止日期由 %(old)s 调整为 %(new)s") % {"old": old.isoformat(), "new": new}
        events.append(
            RecordEvent(
                record=record,
                action=EventAction.DUE_DATE,
                from_status=record.status,
                to_status=record.status,
                user=user,
                reason=f"{text}：{reason}" if reason else text,
            )
        )
        if record.status in _OPEN_STATUSES:
            notices.append(
                Notice(
                    record=record,
                    office_id=record.office_id,
                    kind=NoticeKind.DUE_DATE_CHANGED,
                    due_date=record.due_date,
                    message=_("“%(item)s”记录 #%(id)s 的%(text)s（节假日安排变更），请按新的截止日期报送。")
                    % {"item": record.item.name, "id": record.pk, "text": text},
                )
            )
            if record.due_date > old:
                later.append(record.pk)
    RecordEvent.objects.bulk_create(events, batch_size=500)
    Notice.objects.bulk_create(notices, batch_size=500)
    if later:
        Notice.objects.filter(record_id__in=later, kind__in=ONCE_PER_RECORD_KINDS).delete()
    return RecomputeResult(moved=len(moved), updated=len(changed))


def recompute_provisional_due_dates(years: Iterable[int] | None = None) -> int:
    """Recompute the due dates a change to ``years`` (default: every year) can move; returns how many changed.

    Kept for the callers that think in years (``seed_calendar``); see ``due_dates_recompute``."""
    years = sorted(set(years)) if years is not None else None
    if years is None:
        first, last = datetime.date(1900, 1, 1), datetime.date.max
    else:
        first, last = datetime.date(years[0], 1, 1), datetime.date(years[-1], 12, 31)
    return due_dates_recompute(first=first, last=last).updated


def calendar_year_set_complete(*, year: int, complete: bool, notice: str = "", user=None) -> RecomputeResult:
    """Mark ``year`` official (complete: its notice entered in full) or provisional again, and recompute its due
    dates. Marking complete needs the notice (文号 or title)."""
    notice = notice.strip()
    if complete and not notice:
        raise ValidationError({"notice": _("请填写放假安排通知的文号或标题，再确认该年度已录入完整。")})
    try:
        validate_calendar_year(year)
    except ValidationError as exc:
        raise ValidationError({"year": exc.messages}) from None
    with transaction.atomic():
        row, _created = CalendarYear.objects.select_for_update().get_or_create(year=year)
        if complete:
            row.notice = notice[:200]
        if row.complete == complete and not _created:
            row.save()
            return RecomputeResult(0, 0)
        row.complete = complete
        row.save()
        reason = (
            _("%(year)d 年节假日安排已按通知（%(notice)s）确认") % {"year": year, "notice": row.notice}
            if complete
            else _("%(year)d 年节假日安排改为暂定") % {"year": year}
        )
        return due_dates_recompute(
            first=datetime.date(year, 1, 1), last=datetime.date(year, 12, 31), reason=reason, user=user
        )


def calendar_days_changed(*, dates: Iterable[datetime.date], user=None) -> RecomputeResult:
    """Recompute after the days ``dates`` were added, changed or deleted (admin, CSV import)."""
    dates = sorted(set(dates))
    if not dates:
        return RecomputeResult(0, 0)
    reason = _("节假日与调休变更（%(dates)s）") % {
        "dates": "、".join(d.isoformat() for d in dates[:5]) + ("…" if len(dates) > 5 else "")
    }
    return due_dates_recompute(first=dates[0], last=dates[-1], reason=reason, user=user)


_KIND_WORDS = {
    "holiday": DayKind.HOLIDAY,
    "休": DayKind.HOLIDAY,
    "假": DayKind.HOLIDAY,
    "节假日": DayKind.HOLIDAY,
    "法定节假日": DayKind.HOLIDAY,
    "workday": DayKind.WORKDAY,
    "班": DayKind.WORKDAY,
    "调休": DayKind.WORKDAY,
    "调休工作日": DayKind.WORKDAY,
    "上班": DayKind.WORKDAY,
}


@dataclass
class CalendarImportResult:
    created: int
    updated: int
    recomputed: int


def decode_csv_bytes(data: bytes) -> str:
    """CSV text from an upload: UTF-8 (with or without BOM), else GB 18030 as saved by Excel on Chinese Windows."""
    if b"\x00" in data:
        raise ValidationError(_("文件不是文本格式的CSV文件。"))
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(_("无法识别文件编码，请保存为UTF-8编码的CSV文件。"))


@transaction.atomic
def calendar_import_csv(*, data: bytes | str, user=None) -> CalendarImportResult:
    """Import ``date,kind,name`` rows (a header row is optional). All or nothing: any bad row rejects the file.

    ``kind`` is ``holiday`` / ``workday`` (or 休 / 班 / 调休). Dates already stored are updated. Afterwards the due
    dates the changed days can move are recomputed; the file does not make a year official (``CalendarYear``).
    """
    from credit.validators import parse_date

    text = decode_csv_bytes(data) if isinstance(data, bytes) else data
    errors: list[str] = []
    rows: dict[datetime.date, tuple[str, str]] = {}
    for line_no, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not row or not any(cell.strip() for cell in row):
            continue
        if line_no == 1 and row[0].strip().lower() in {"date", "日期"}:
            continue
        if len(row) < 2:
            errors.append(_("第%(row)d行：应为“日期,类型,名称”三列。") % {"row": line_no})
            continue
        try:
            day = parse_date(row[0].strip())
            validate_calendar_date(day)
        except ValidationError as exc:
            errors.append(_("第%(row)d行“日期”列：%(msg)s") % {"row": line_no, "msg": exc.messages[0]})
            continue
        kind = _KIND_WORDS.get(row[1].strip().lower())
        if kind is None:
            errors.append(
                _("第%(row)d行“类型”列：“%(value)s”无效，应为 holiday（法定节假日）或 workday（调休工作日）。")
                % {"row": line_no, "value": row[1].strip()}
            )
            continue
        if day in rows:
            errors.append(_("第%(row)d行：日期 %(date)s 重复。") % {"row": line_no, "date": day.isoformat()})
            continue
        rows[day] = (kind, row[2].strip()[:50] if len(row) > 2 else "")
    if errors:
        raise ValidationError(errors)
    if not rows:
        raise ValidationError(_("文件中没有日期数据。"))
    existing = {d.date: d for d in CalendarDay.objects.filter(date__in=rows)}
    to_create, to_update = [], []
    for day, (kind, name) in rows.items():
        if day in existing:
            obj = existing[day]
            if (obj.kind, obj.name) != (kind, name):
                obj.kind, obj.name = kind, name
                to_update.append(obj)
        else:
            to_create.append(CalendarDay(date=day, kind=kind, name=name))
    CalendarDay.objects.bulk_create(to_create)
    CalendarDay.objects.bulk_update(to_update, ["kind", "name"])
    changed_dates = [d.date for d in to_create] + [d.date for d in to_update]
    recomputed = calendar_days_changed(dates=changed_dates, user=user).updated
    return CalendarImportResult(created=len(to_create), updated=len(to_update), recomputed=recomputed)
