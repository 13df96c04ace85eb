"""The bulletin shows completeness: expected monthly reports (months × items owned), received, nil (零报告) and missing
(缺报). An office with no records and no nil report shows as missing, in oversight's figures and in the bulletin."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from credit.models import Item, Office
from oversight import selectors
from oversight.periods import parse_period
from oversight.services import bulletin_generate, nil_report_confirm
from tests.factories import clerk_of

pytestmark = pytest.mark.django_db


def _last_month() -> datetime.date:
    return (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def _owner() -> tuple[Office, list[Item]]:
    owned = selectors.monthly_items_owned(Office.objects.all())
    office = Office.objects.filter(pk__in=owned).order_by("pk").first()
    return office, owned[office.pk]


def _office_data(bulletin, office) -> dict:
    return next(o for o in bulletin.data["offices"] if o["office_code"] == office.code)


def test_an_office_with_no_records_and_no_nil_report_shows_as_missing_in_the_bulletin(client, reviewer):
    office, items = _owner()
    month = _last_month()
    bulletin = bulletin_generate(period=parse_period(f"{month:%Y-%m}"), user=reviewer)
    data = _office_data(bulletin, office)
    expected = len(items)
    assert (data["reports_expected"], data["reports_received"], data["reports_nil"]) == (expected, 0, 0)
    assert data["reports_missing"] == expected > 0
    assert bulletin.data["completeness_totals"]["missing"] >= expected
    client.force_login(reviewer)
    page = client.get(reverse("oversight:bulletin-detail", args=[bulletin.pk])).content.decode()
    row = page.split('id="bulletin-publication"')[1].split(f'<tr data-office="{office.code}">')[1].split("</tr>")[0]
    assert f'<td data-figure="reports_missing" class="bad">{expected}</td>' in row


def test_a_nil_report_is_no_longer_missing_in_the_bulletin(reviewer):
    office, items = _owner()
    month = _last_month()
    clerk = clerk_of(office.code, "clerk_nil_bulletin")
    nil_report_confirm(user=clerk, office=office, item=items[0], month=month)
    data = _office_data(bulletin_generate(period=parse_period(f"{month:%Y-%m}"), user=reviewer), office)
    assert (data["reports_nil"], data["reports_missing"]) == (1, len(items) - 1)
