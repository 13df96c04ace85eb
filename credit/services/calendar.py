"""Working days and due dates on the official PRC calendar (holidays and 调休 adjusted working days).

The calendar is data in ``CalendarDay``; chinesecalendar only seeds it. A year with no stored day is unknown: the
Monday–Friday rule stands in and every date computed through it is provisional (暂定) until the year is entered,
when ``recompute_provisional_due_dates`` brings the stored records up to date.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from credit.models import CalendarDay, DayKind

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


class WorkingCalendar:
    """The calendar between two dates, loaded in one query."""

    def __init__(self, start: datetime.date, end: datetime.date):
        rows = CalendarDay.objects.filter(date__gte=start, date__lte=end).values_list("date", "kind")
        self.special = dict(rows)
        self.known_years = set(
            CalendarDay.objects.filter(date__year__gte=start.year, date__year__lte=end.year)
            .values_list("date__year", flat=True)
            .distinct()
        )

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


def due_date_for(start: datetime.date, days: int) -> DueDate:
    """The seventh (or ``days``-th) working day after ``start``, and whether it rests on a year not yet entered.

    Raises CalendarRangeError (a ValidationError with a Chinese message) when the due date would come after
    9999-12-31, so that no caller fails with OverflowError on a business date typed at the calendar's edge.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    span = datetime.timedelta(days=days * _MAX_SPAN_PER_DAY + 14)
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
    """(start, due date) of the semiannual reporting period (一年两次) that contains ``day``.

    Raises CalendarRangeError when the period's due date would fall in the year 10000.
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


def item_due_date(item, business_date: datetime.date) -> DueDate:
    """The due date of a record of ``item`` whose business happened on ``business_date``."""
    if item.deadline_kind == "semiannual":
        return DueDate(semiannual_period(business_date)[1], False)
    return due_date_for(business_date, item.deadline_days or 7)


@transaction.atomic
def recompute_provisional_due_dates(years: Iterable[int] | None = None) -> int:
    """Recompute the due dates still marked provisional (those of ``years`` only, if given); returns how many."""
    from credit.models import Record

    records = Record.objects.filter(due_date_provisional=True).select_related("item")
    if years is not None:
        years = set(years)
        records = records.filter(due_date__year__in=years | {y + 1 for y in years})
    changed = 0
    for record in records.select_for_update():
        result = item_due_date(record.item, record.business_date)
        if (result.due, result.provisional) != (record.due_date, record.due_date_provisional):
            Record.objects.filter(pk=record.pk).update(due_date=result.due, due_date_provisional=result.provisional)
            changed += 1
    return changed


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
def calendar_import_csv(*, data: bytes | str) -> CalendarImportResult:
    """Import ``date,kind,name`` rows (a header row is optional). All or nothing: any bad row rejects the file.

    ``kind`` is ``holiday`` / ``workday`` (or 休 / 班 / 调休). Dates already stored are updated. Afterwards every
    provisional due date is recomputed.
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
    created = updated = 0
    for day, (kind, name) in rows.items():
        if day in existing:
            obj = existing[day]
            if (obj.kind, obj.name) != (kind, name):
                obj.kind, obj.name = kind, name
                obj.save(update_fields=["kind", "name"])
                updated += 1
        else:
            CalendarDay.objects.create(date=day, kind=kind, name=name)
            created += 1
    recomputed = recompute_provisional_due_dates({d.year for d in rows})
    return CalendarImportResult(created=created, updated=updated, recomputed=recomputed)
