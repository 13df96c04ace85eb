"""The Annex 2 indicator list separates the offices of an indicator ("组人处、社管处"), never runs them together."""

import re

import pytest

from oversight.models import Indicator, IndicatorOffice, IndicatorRole
from tests.factories import office

pytestmark = pytest.mark.django_db


def test_cooperating_offices_are_separated(clerk_client):
    indicator = Indicator.objects.create(year=2026, no=98, text="信用承诺制度落实")
    IndicatorOffice.objects.create(indicator=indicator, office=office("office"), role=IndicatorRole.LEAD)
    for code in ("zuren", "sheguan"):
        IndicatorOffice.objects.create(indicator=indicator, office=office(code), role=IndicatorRole.COOPERATING)
    page = clerk_client.get("/workspace/oversight/indicators/", {"year": 2026}).content.decode()
    row = next(r for r in re.findall(r"<tr.*?</tr>", page, re.S) if "信用承诺制度落实" in r)
    text = re.sub(r"<[^>]+>", "", row)
    assert "组人处、社管处" in text or "社管处、组人处" in text
    assert "组人处社管处" not in text and "社管处组人处" not in text
