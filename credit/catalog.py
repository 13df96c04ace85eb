"""Annex 1 and Annex 2 of the work plan as data (``fixtures/catalog.json``), plus the stable ASCII key of each field.

The catalog gives each data item's Chinese name, type and order; the keys below are the product's own names for
them (model columns, API field keys). Keys are listed in catalog order, one per catalog field.
"""

import json
from functools import cache
from pathlib import Path

CATALOG_PATH = Path(__file__).resolve().parent.parent / "fixtures" / "catalog.json"

ITEM_FIELD_KEYS: dict[int, tuple[str, ...]] = {
    1: (
        "name",
        "id_number",
        "sex",
        "cert_name",
        "cert_number",
        "issue_date",
        "grant_date",
        "issuing_authority",
        "cert_status",
    ),
    2: (
        "org_name",
        "org_code",
        "address",
        "penalty_type",
        "penalty_content",
        "penalty_result",
        "penalty_date",
        "penalty_authority",
        "penalty_basis",
        "execution_status",
    ),
    3: ("org_name", "org_code", "supervising_authority", "school_type"),
    4: (
        "org_code",
        "org_name",
        "cert_number",
        "cert_content",
        "valid_from",
        "valid_to",
        "recognition_date",
        "recognition_authority",
    ),
    5: ("org_code", "org_name", "inspection_year", "conclusion", "inspection_authority"),
    6: ("org_code", "org_name", "award_name", "award_doc_number", "award_content"),
    7: ("name", "id_number", "honour_matter", "honour_name", "award_date", "awarding_unit"),
    8: ("name", "id_number", "offence", "decision_number", "penalty_result", "penalty_authority", "penalty_date"),
    9: ("actor_name", "doc_type", "doc_number", "registration_content", "registration_date", "report_date", "employer"),
    10: (
        "target_name",
        "target_code",
        "principal_name",
        "contact_phone",
        "registered_address",
        "business_scope",
        "implementing_agency",
        "implementation_date",
        "reason",
        "location",
    ),
}


@cache
def load_catalog() -> dict:
    """The catalog as shipped with the code (a verbatim copy of the work plan's annexes)."""
    with CATALOG_PATH.open(encoding="utf-8") as fh:
        return json.load(fh)


def catalog_item(no: int) -> dict:
    return next(item for item in load_catalog()["items"] if item["no"] == no)


def catalog_field(no: int, key: str) -> dict:
    """The catalog entry (name, type, required, values, rule) of one item field, found by its key."""
    index = ITEM_FIELD_KEYS[no].index(key)
    return catalog_item(no)["fields"][index]
