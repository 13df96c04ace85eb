"""Public statistics of the 双公示 column (公示统计): for a year, the monthly counts of published licences (行政许可) and
penalties (行政处罚) by office and type, with "本月无此类案件" for a month without any, and the annual 行政处罚实施情况
table (decisions per penalty category of the national code table, fines and confiscations in 万元, by office).

Only what the column shows today counts: the entries come from ``selectors.public_entries_to_count``, the same rules
as every public list, so a withdrawn, revoked, expired or withheld entry is in no figure. A case belongs to the month
of its decision date (许可决定日期, 处罚决定日期). Everything is read in three queries (two aggregates, ``GROUP BY``, and
the offices), however many entries there are; nothing personal is read, only offices, types, counts and sums.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, DecimalField, F, Sum, Value
from django.db.models.functions import Coalesce, ExtractMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from credit.catalog import PENALTY, ItemSpec
from credit.models import Office
from credit.registry import model_for_item
from publicity import selectors
from publicity.models import LicenceCategory
from publicity.models.publications import PENALTY_CATEGORIES
from publicity.services.errors import PublicityError

# The amount columns of the national penalty standard and the category column each follows in the annual table.
AMOUNT_COLUMNS = {
    "罚款": ("cf_nr_fk", "fine"),
    "没收非法财物": ("cf_nr_wfff", "confiscation"),
}


def _amount_titles() -> dict[str, str]:
    return {"fine": _("罚款金额（万元）"), "confiscation": _("没收违法所得、没收非法财物金额（万元）")}


def none_this_month() -> str:
    return _("本月无此类案件")


# --- the year ---------------------------------------------------------------------------------------------------------


def year_choices(*, today: datetime.date | None = None) -> list[int]:
    """The years the page offers, newest first: from ``PUBLICITY_STATISTICS_FIRST_YEAR`` to this year (Beijing)."""
    today = today or timezone.localdate()
    first = min(settings.PUBLICITY_STATISTICS_FIRST_YEAR, today.year)
    return list(range(today.year, first - 1, -1))


def parse_year(value: str | None, *, today: datetime.date | None = None) -> int:
    """The year asked for in ``?year=``: this year (Beijing) when none is given; a ``PublicityError`` on ``year``
    naming the allowed range for anything else than one of ``year_choices``."""
    today = today or timezone.localdate()
    text = (value or "").strip()
    if not text:
        return today.year
    years = year_choices(today=today)
    if text.isascii() and text.isdigit() and len(text) == 4 and int(text) in years:
        return int(text)
    shown = text if len(text) <= 20 else text[:20] + "…"
    raise PublicityError(
        {
            "year": [
                _("年份：“%(value)s”不是可查询的年份，请选择 %(first)d 年至 %(last)d 年之间的年份（四位数字）。")
                % {"value": shown, "first": years[-1], "last": years[0]}
            ]
        }
    )


# --- the figures ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthRow:
    """One row of the monthly table (and of its CSV): a month, a kind (行政许可/行政处罚), an office, a type (许可类别
    or 处罚类别) and the count; for a month without any case of the kind, no office or type and ``note`` says so."""

    month: str
    kind: str
    office: str = ""
    type: str = ""
    count: int = 0
    note: str = ""


@dataclass(frozen=True)
class MonthTotal:
    month: int
    label: str
    licences: int
    penalties: int


@dataclass
class PenaltyRow:
    """One office's line of the annual 行政处罚实施情况 table: decisions, then per column a count or an amount."""

    office: str
    decisions: int = 0
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    amounts: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))

    def cells(self) -> list[str]:
        out = []
        for category in PENALTY_CATEGORIES:
            out.append(str(self.counts[category]))
            if category in AMOUNT_COLUMNS:
                out.append(amount_text(self.amounts[AMOUNT_COLUMNS[category][1]]))
        return out


@dataclass
class Statistics:
    year: int
    months: list[int]
    monthly: list[MonthRow]
    totals: list[MonthTotal]
    penalty_rows: list[PenaltyRow]  # one per office, then the 合计 row
    kinds: tuple[str, str] = ("", "")

    # -- the tables as header and rows of text: the page and the CSV show the same cells ---------------------------

    @staticmethod
    def monthly_header() -> list[str]:
        return [_("月份"), _("类别"), _("处室"), _("类型"), _("件数"), _("说明")]

    def monthly_cells(self) -> list[list[str]]:
        return [[r.month, r.kind, r.office, r.type, str(r.count), r.note] for r in self.monthly]

    @staticmethod
    def penalty_header() -> list[str]:
        titles = _amount_titles()
        header = [_("处室"), _("处罚决定（件）")]
        for category in PENALTY_CATEGORIES:
            header.append(category)
            if category in AMOUNT_COLUMNS:
                header.append(titles[AMOUNT_COLUMNS[category][1]])
        return header

    def penalty_cells(self) -> list[list[str]]:
        return [[row.office, str(row.decisions), *row.cells()] for row in self.penalty_rows]

    def chart(self) -> dict:
        """The monthly totals for the chart (``static/publicity/statistics.js``); the same figures as the table
        beside it, which is the chart's text alternative."""
        return {
            "labels": [t.label for t in self.totals],
            "series": [
                {"label": self.kinds[0], "data": [t.licences for t in self.totals]},
                {"label": self.kinds[1], "data": [t.penalties for t in self.totals]},
            ],
        }


def amount_text(value: Decimal | None) -> str:
    """An amount in 万元 as written in the table: no exponent, no trailing zeros ("0", "0.5", "12.0035")."""
    if not value:
        return "0"
    return format(value.quantize(Decimal("0.000001")).normalize(), "f")


def _penalty_amount(column: str):
    """The record field each penalty item fills national column ``column`` from (catalogue ``publication``), as one
    expression over a publication (the record is of exactly one item, so at most one of them is set)."""
    sources = []
    for item in ItemSpec.items_with(publicity=PENALTY):
        source = item.penalty_columns.columns.get(column) if item.penalty_columns else None
        if source:
            sources.append(F(f"record__{model_for_item(item.no)._meta.model_name}__{source}"))
    if not sources:
        return Value(None, output_field=DecimalField(max_digits=16, decimal_places=6))
    return sources[0] if len(sources) == 1 else Coalesce(*sources)


def _penalty_offices() -> set[str]:
    """The offices that report a penalty item (catalogue ``offices``): each has a line of the annual table."""
    return {code for item in ItemSpec.items_with(publicity=PENALTY) for code in item.offices}


def public_statistics(year: int, *, today: datetime.date | None = None) -> Statistics:
    """The figures of ``year`` as the column shows them today: three queries (licences, penalties, offices)."""
    today = today or timezone.localdate()
    last_month = 12 if year < today.year else today.month if year == today.year else 0
    months = list(range(1, last_month + 1))
    licence_kind, penalty_kind = _("行政许可"), _("行政处罚")

    licences = (
        selectors.public_entries_to_count(selectors.LICENCES, today=today)
        .filter(jdrq__year=year)
        .annotate(month=ExtractMonth("jdrq"))
        .values("month", "office_id", "xklb")
        .annotate(n=Count("id"))
    )
    penalties = (
        selectors.public_entries_to_count(selectors.PENALTIES, today=today)
        .filter(decision_date__year=year)
        .annotate(month=ExtractMonth("decision_date"), office_id=F("record__office_id"))
        .values("month", "office_id", "penalty_category", "other_categories")
        .annotate(
            n=Count("id"),
            fine=Sum(_penalty_amount(AMOUNT_COLUMNS["罚款"][0])),
            confiscation=Sum(_penalty_amount(AMOUNT_COLUMNS["没收非法财物"][0])),
        )
    )
    licence_groups, penalty_groups = list(licences), list(penalties)
    offices = {o.pk: o for o in Office.objects.all()}  # a few dozen rows at most

    # Monthly: (month, office, type) → count, for each kind.
    unknown = _("未注明")
    by_month: dict[str, dict[tuple[int, int, str], int]] = {
        licence_kind: defaultdict(int),
        penalty_kind: defaultdict(int),
    }
    for g in licence_groups:
        by_month[licence_kind][(g["month"], g["office_id"], g["xklb"] or unknown)] += g["n"]
    for g in penalty_groups:
        by_month[penalty_kind][(g["month"], g["office_id"], g["penalty_category"] or unknown)] += g["n"]
    type_order = {
        licence_kind: {c: i for i, c in enumerate(LicenceCategory.values)},
        penalty_kind: {c: i for i, c in enumerate(PENALTY_CATEGORIES)},
    }

    def office_name(pk) -> str:
        return offices[pk].name if pk in offices else unknown

    monthly: list[MonthRow] = []
    totals: list[MonthTotal] = []
    for month in months:
        label = _("%(year)d年%(month)d月") % {"year": year, "month": month}
        counts = {}
        for kind in (licence_kind, penalty_kind):
            groups = sorted(
                ((office, kind_type, n) for (m, office, kind_type), n in by_month[kind].items() if m == month),
                key=lambda g, kind=kind: (g[0] or 0, type_order[kind].get(g[1], len(type_order[kind])), g[1]),
            )
            counts[kind] = sum(n for _o, _t, n in groups)
            if not groups:
                monthly.append(MonthRow(month=label, kind=kind, note=none_this_month()))
            for office, kind_type, n in groups:
                monthly.append(MonthRow(month=label, kind=kind, office=office_name(office), type=kind_type, count=n))
        totals.append(
            MonthTotal(
                month=month,
                label=_("%(month)d月") % {"month": month},
                licences=counts[licence_kind],
                penalties=counts[penalty_kind],
            )
        )

    # Annual 行政处罚实施情况: every office that reports a penalty item, and any other with a penalty this year.
    rows: dict[int, PenaltyRow] = {}
    reporting = _penalty_offices()
    for pk, office in offices.items():
        if office.code in reporting:
            rows[pk] = PenaltyRow(office=office.name)
    for g in penalty_groups:
        row = rows.setdefault(g["office_id"], PenaltyRow(office=office_name(g["office_id"])))
        row.decisions += g["n"]
        # A decision with several categories (并处) counts once under each of them.
        for category in dict.fromkeys([g["penalty_category"], *(g["other_categories"] or [])]):
            if category in PENALTY_CATEGORIES:
                row.counts[category] += g["n"]
        for key in ("fine", "confiscation"):
            row.amounts[key] += g[key] or Decimal(0)
    penalty_rows = [rows[pk] for pk in sorted(rows, key=lambda pk: (pk not in offices, pk or 0))]
    total = PenaltyRow(office=_("合计"))
    for row in penalty_rows:
        total.decisions += row.decisions
        for category, n in row.counts.items():
            total.counts[category] += n
        for key, amount in row.amounts.items():
            total.amounts[key] += amount
    return Statistics(
        year=year,
        months=months,
        monthly=monthly,
        totals=totals,
        penalty_rows=[*penalty_rows, total],
        kinds=(licence_kind, penalty_kind),
    )
