"""Annex 2 read as data: which offices answer for each of the eight indicators, and in which role.

Kept free of model imports so the data migration can use it with historical models.

Reading rules (documented here once, used by the migration and by ``ensure_indicators``):

- Where the catalog names a ``lead``, that office leads (牵头) and the other named offices cooperate (配合).
- Where it names no lead (rows 1, 5, 6, 7, 8), every named office is responsible in its own right, recorded as lead;
  ``Indicator.lead_office`` is set only when exactly one office leads.
- Rows 3 and 4 have blank office cells in the seed; the catalog's notes read them as continuing row 2's merged cell
  (办公室 leads, 组人处 and 社管处 cooperate), and the catalog lists those offices.
- Row 8's "各相关业务处室" (every relevant business division) is read as the offices that own at least one Annex 1
  credit-information item: the divisions with credit-information business of their own. 办公室 (the General Office,
  which assesses the indicators) and 新闻中心 (the news centre, a support unit with its own part in row 5) own no
  item and are therefore not included. Items 6 and 10 ("any office holding the information") make no office a
  business office by themselves.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

ALL_BUSINESS_OFFICES = "all business offices"
LEAD, COOPERATING = "lead", "cooperating"


@dataclass(frozen=True)
class IndicatorSpec:
    no: int
    text: str
    offices_text: str
    note: str
    lead: str | None
    roles: tuple[tuple[str, str], ...]  # (office code, role), catalog order


def indicator_specs(catalog: dict, business_office_codes: Iterable[str]) -> list[IndicatorSpec]:
    """The eight indicators of Annex 2 with (office code, role) pairs, per the reading rules above."""
    business = list(business_office_codes)
    specs = []
    for row in catalog["indicators"]:
        offices = row["offices"]
        codes = business if offices == ALL_BUSINESS_OFFICES else list(offices)
        lead = row.get("lead")
        if lead:
            roles = tuple((code, LEAD if code == lead else COOPERATING) for code in codes)
        else:
            roles = tuple((code, LEAD) for code in codes)
            lead = codes[0] if len(codes) == 1 else None
        specs.append(
            IndicatorSpec(
                no=row["no"],
                text=row["text"],
                offices_text=row.get("offices_text") or "",
                note=row.get("note", "")
                and "责任处室单元格空白，按上一行合并单元格理解：办公室牵头，组人处、社管处配合。",
                lead=lead,
                roles=roles,
            )
        )
    return specs


def create_indicators(*, year: int, specs: list[IndicatorSpec], Indicator, IndicatorOffice, offices_by_code) -> int:
    """Create the missing indicators of ``year`` and complete their office assignments; returns how many were created.

    Existing indicators keep their status and history; an assignment is added where missing and its role corrected.
    """
    created = 0
    for spec in specs:
        indicator, was_created = Indicator.objects.get_or_create(
            year=year,
            no=spec.no,
            defaults={
                "text": spec.text,
                "offices_text": spec.offices_text,
                "note": spec.note,
                "lead_office": offices_by_code.get(spec.lead) if spec.lead else None,
            },
        )
        created += was_created
        for code, role in spec.roles:
            office = offices_by_code.get(code)
            if office is not None:
                IndicatorOffice.objects.update_or_create(indicator=indicator, office=office, defaults={"role": role})
    return created
