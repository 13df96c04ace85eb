"""The publicity period of a penalty from the rule table (``PublicityPeriodRule``): for each of its categories the most
specific rule (category, severity and sector, each falling back to "any"), for several categories the longest minimum
and maximum. The default end is the minimum the rule allows (the least exposure the law asks for); the reviewer may
choose a later end up to the maximum, with a reason."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings

from publicity.models.periods import PublicityPeriodRule


def add_months(day: datetime.date, months: int) -> datetime.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for dom in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=dom)
        except ValueError:
            continue
    raise ValueError(day)


@dataclass(frozen=True)
class Period:
    """Minimum and maximum publicity in months, and the dates they give from a decision date."""

    min_months: int
    max_months: int

    def bounds(self, decision_date: datetime.date) -> tuple[datetime.date, datetime.date]:
        return add_months(decision_date, self.min_months), add_months(decision_date, self.max_months)

    def default_end(self, decision_date: datetime.date, today: datetime.date | None = None) -> datetime.date:
        """The minimum end; for a decision published so late that its minimum end has passed, the minimum counted
        from ``today`` instead (never past the maximum), so that the public sees it at all."""
        end = add_months(decision_date, self.min_months)
        if today is not None and end < today:
            end = min(add_months(today, self.min_months), add_months(decision_date, self.max_months))
        return end


def _specificity(rule: PublicityPeriodRule) -> int:
    return (4 if rule.penalty_category else 0) + (2 if rule.sector else 0) + (1 if rule.severity else 0)


def period_rules() -> list[PublicityPeriodRule]:
    """The whole rule table (a few dozen rows), for callers that compute many periods at once (exports)."""
    return list(PublicityPeriodRule.objects.all())


def period_for(categories: Iterable[str], *, severity: str = "", sector: str = "", rules: list | None = None) -> Period:
    """The period of a penalty of ``categories`` (several → the longest), ``severity`` and ``sector``; ``rules`` is
    the table when the caller already loaded it (``period_rules``)."""
    categories = [c for c in dict.fromkeys(categories) if c] or [""]
    rules = period_rules() if rules is None else rules
    low, high = settings.PUBLICITY_PENALTY_MIN_MONTHS, settings.PUBLICITY_PENALTY_MAX_MONTHS
    mins, maxes = [], []
    for category in categories:
        matching = [
            r
            for r in rules
            if r.penalty_category in ("", category) and r.severity in ("", severity) and r.sector in ("", sector)
        ]
        if matching:
            best = max(matching, key=_specificity)
            # A sector rule (e.g. 特种设备: at least one year) raises the category's minimum, never lowers it.
            sector_min = max((r.min_months for r in matching if r.sector), default=0)
            mins.append(max(best.min_months, sector_min))
            maxes.append(best.max_months)
        else:
            mins.append(low)
            maxes.append(high)
    minimum, maximum = max(mins), max(maxes)
    return Period(min_months=max(low, minimum), max_months=min(high, max(maximum, minimum)))


def sectors() -> list[str]:
    """The sectors the table names (for the reviewer's choice)."""
    return sorted(set(PublicityPeriodRule.objects.exclude(sector="").values_list("sector", flat=True)))
