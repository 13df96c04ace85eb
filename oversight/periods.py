"""Reporting periods of the oversight figures: a month (``2026-03``), quarter (``2026Q1``), half-year (``2026H1``) or
year (``2026``), in the manner of DHIS2's period identifiers (``202603``, ``2026Q1``, ``2026S1``, ``2026``)."""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from core.errors import DomainError


class PeriodError(DomainError, ValueError):
    """A period or year string that is not one of the accepted forms; ``str()`` is the Chinese message, ``errors``
    has it under ``period`` or ``year`` (the API's query parameter)."""


# The years the oversight figures and Annex 2 indicators cover (a typo such as 20260 or 1026 is refused).
YEAR_MIN = 2000
YEAR_MAX = 2100


class PeriodKind:
    MONTH = "month"
    QUARTER = "quarter"
    HALF_YEAR = "half_year"
    YEAR = "year"


# ASCII digits only: ``\d`` alone would also match full-width and Arabic-Indic digits.
_PATTERNS = [
    (re.compile(r"^([0-9]{4})-(0[1-9]|1[0-2])$"), PeriodKind.MONTH),
    (re.compile(r"^([0-9]{4})Q([1-4])$", re.IGNORECASE), PeriodKind.QUARTER),
    (re.compile(r"^([0-9]{4})H([12])$", re.IGNORECASE), PeriodKind.HALF_YEAR),
    (re.compile(r"^([0-9]{4})$"), PeriodKind.YEAR),
]
_YEAR = re.compile(r"^[0-9]{4}$")


@dataclass(frozen=True)
class Period:
    kind: str
    key: str
    start: datetime.date
    end: datetime.date

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def label(self) -> str:
        """The period in Chinese, e.g. 2026年3月, 2026年第一季度, 2026年上半年, 2026年度."""
        y = self.start.year
        if self.kind == PeriodKind.MONTH:
            return _("%(year)d年%(month)d月") % {"year": y, "month": self.start.month}
        if self.kind == PeriodKind.QUARTER:
            q = (self.start.month - 1) // 3
            return _("%(year)d年%(quarter)s") % {
                "year": y,
                "quarter": [_("第一季度"), _("第二季度"), _("第三季度"), _("第四季度")][q],
            }
        if self.kind == PeriodKind.HALF_YEAR:
            return _("%(year)d年上半年") % {"year": y} if self.start.month == 1 else _("%(year)d年下半年") % {"year": y}
        return _("%(year)d年度") % {"year": y}

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    def months(self) -> list[Period]:
        """The months of this period, in order."""
        result, day = [], self.start
        while day <= self.end:
            result.append(month_period(day.year, day.month))
            day = result[-1].end + datetime.timedelta(days=1)
        return result

    def __str__(self) -> str:
        return self.key


def month_period(year: int, month: int) -> Period:
    last = calendar.monthrange(year, month)[1]
    return Period(
        PeriodKind.MONTH, f"{year:04d}-{month:02d}", datetime.date(year, month, 1), datetime.date(year, month, last)
    )


def parse_period(value: str) -> Period:
    """The period named by ``value``; raises PeriodError for anything else."""
    value = (value or "").strip()
    for pattern, kind in _PATTERNS:
        match = pattern.match(value)
        if not match:
            continue
        year = int(match.group(1))
        if not YEAR_MIN <= year <= YEAR_MAX:
            break
        if kind == PeriodKind.MONTH:
            return month_period(year, int(match.group(2)))
        if kind == PeriodKind.QUARTER:
            q = int(match.group(2))
            first, last = month_period(year, 3 * q - 2), month_period(year, 3 * q)
            return Period(kind, f"{year}Q{q}", first.start, last.end)
        if kind == PeriodKind.HALF_YEAR:
            h = int(match.group(2))
            return Period(
                kind,
                f"{year}H{h}",
                datetime.date(year, 1 if h == 1 else 7, 1),
                datetime.date(year, 6 if h == 1 else 12, 30 if h == 1 else 31),
            )
        return Period(kind, f"{year}", datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    raise PeriodError(
        {
            "period": [
                _("统计期间“%(value)s”无效：应为 2026-03（月）、2026Q1（季度）、2026H1（半年）或 2026（年度）。")
                % {"value": value}
            ]
        }
    )


def parse_year(value: str | None, *, default: int | None = None) -> int:
    """The year (年度) named by ``value``: four digits within YEAR_MIN–YEAR_MAX; ``default`` when blank.

    The one reading of a year for the oversight pages and API; raises PeriodError with a Chinese message.
    """
    text = (value or "").strip()
    if not text and default is not None:
        return default
    if _YEAR.match(text) and YEAR_MIN <= int(text) <= YEAR_MAX:
        return int(text)
    raise PeriodError(
        {
            "year": [
                _("年度“%(value)s”无效：应为 %(min)d 至 %(max)d 之间的四位数字年份，如 2026。")
                % {"value": text, "min": YEAR_MIN, "max": YEAR_MAX}
            ]
        }
    )


def previous_month(today: datetime.date) -> Period:
    """The month before the one containing ``today`` (the scheduled bulletin's period)."""
    last_day = today.replace(day=1) - datetime.timedelta(days=1)
    return month_period(last_day.year, last_day.month)
