"""Decision-number gaps (断号): per office and year, numbers missing in a 洪教罚〔YYYY〕N号 sequence are listed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from credit.catalog import ItemSpec
from credit.models import Office, RecordStatus
from oversight import selectors
from tests.factories import create_record, reporting_office

pytestmark = pytest.mark.django_db


def _penalty_item() -> tuple[int, str]:
    """The first catalogue item whose records carry the national 决定文书号 (cf_wsh), and that field."""
    for spec in ItemSpec.all():
        if spec.penalty_columns and spec.penalty_columns.source("cf_wsh"):
            return spec.no, spec.penalty_columns.source("cf_wsh")
    pytest.skip("no item carries a decision number")


def test_missing_number_between_reported_ones_is_listed(reviewer):
    no, key = _penalty_item()
    for seq, n in enumerate([3, 5, 6]):
        create_record(no, status=RecordStatus.SUBMITTED, seq=seq, **{key: f"洪教罚〔2026〕{n}号"})
    create_record(no, status=RecordStatus.DRAFT, seq=9, **{key: "洪教罚〔2026〕4号"})  # a draft is not reported

    gaps = selectors.decision_number_gaps(year=2026, offices=Office.objects.all())

    assert [(g["office"], g["prefix"], g["missing"]) for g in gaps] == [
        (reporting_office(no).name, "洪教罚", ["洪教罚〔2026〕4号"])
    ]
    assert selectors.decision_number_gaps(year=2025, offices=Office.objects.all()) == []


def test_gaps_are_shown_on_the_completeness_page(client, reviewer):
    no, key = _penalty_item()
    for seq, n in enumerate([1, 4]):
        create_record(no, status=RecordStatus.SUBMITTED, seq=seq, **{key: f"洪教罚〔2026〕{n}号"})
    client.force_login(reviewer)
    page = client.get(reverse("oversight:nil-reports") + "?period=2026").content.decode()
    assert "洪教罚〔2026〕2号、洪教罚〔2026〕3号" in page
