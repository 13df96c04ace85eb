"""Completeness (零报告): expected monthly reports = months × items owned; received, nil and missing per office."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from credit.models import Item, Office, RecordStatus
from oversight import selectors
from oversight.models import NilReport
from oversight.periods import parse_period
from tests.factories import clerk_of
from tests.oversight.conftest import institution

pytestmark = pytest.mark.django_db


def _last_month() -> datetime.date:
    return (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def _owner_of_item_3() -> Office:
    return Item.objects.get(no=3).offices.order_by("pk").first()


def _row(office: Office, period_key: str) -> dict:
    rows = selectors.completeness_by_office(
        period=parse_period(period_key), offices=Office.objects.filter(pk=office.pk), today=timezone.localdate()
    )
    return rows[0]


def test_office_with_no_records_and_no_nil_report_shows_as_missing():
    office, month = _owner_of_item_3(), _last_month()
    row = _row(office, f"{month:%Y-%m}")
    owned = len(selectors.monthly_items_owned(Office.objects.filter(pk=office.pk))[office.pk])
    assert (row["expected"], row["received"], row["nil"], row["missing"]) == (owned, 0, 0, owned)
    assert (Item.objects.get(no=3), month) in row["missing_cells"]


def test_a_reported_record_in_the_month_counts_as_received():
    office, month = _owner_of_item_3(), _last_month()
    institution(
        office=office.code,
        due=month + datetime.timedelta(days=20),
        status=RecordStatus.APPROVED,
        submitted_at=timezone.now(),
        business=month + datetime.timedelta(days=3),
    )
    row = _row(office, f"{month:%Y-%m}")
    assert row["received"] == 1 and row["missing"] == row["expected"] - 1


def test_clerk_confirms_a_nil_report_and_the_month_is_no_longer_missing(client):
    office, month = _owner_of_item_3(), _last_month()
    client.force_login(clerk_of(office.code))
    before = _row(office, f"{month:%Y-%m}")

    response = client.post(
        reverse("oversight:nil-reports"), {"office": office.code, "item": "3", "month": f"{month:%Y-%m}"}
    )

    assert response.status_code == 302
    after = _row(office, f"{month:%Y-%m}")
    assert (after["nil"], after["missing"]) == (before["nil"] + 1, before["missing"] - 1)
    page = client.get(reverse("oversight:nil-reports") + f"?period={month:%Y-%m}").content.decode()
    assert 'data-figure="nil">1<' in page


@pytest.mark.parametrize("case", ["records", "not_over", "not_owned", "twice"])
def test_nil_report_refused_with_a_reason(client, case):
    office, month = _owner_of_item_3(), _last_month()
    item = "3"
    if case == "records":
        institution(
            office=office.code,
            due=month + datetime.timedelta(days=20),
            status=RecordStatus.SUBMITTED,
            submitted_at=timezone.now(),
            business=month + datetime.timedelta(days=3),
        )
    elif case == "not_over":
        month = timezone.localdate().replace(day=1)
    elif case == "not_owned":
        owned = set(Item.objects.filter(offices=office).values_list("no", flat=True))
        item = str(Item.objects.exclude(no__in=owned).exclude(offices=None).values_list("no", flat=True).first())
    client.force_login(clerk_of(office.code))
    data = {"office": office.code, "item": item, "month": f"{month:%Y-%m}"}
    if case == "twice":
        client.post(reverse("oversight:nil-reports"), data)
    response = client.post(reverse("oversight:nil-reports"), data, follow=True)
    text = response.content.decode()
    expected = {
        "records": "该月已报送该事项的记录",
        "not_over": "只能对已经结束的月份",
        "not_owned": "不是该事项的责任处室",
    }
    assert expected.get(case, "无需重复确认") in text
    assert NilReport.objects.count() == (1 if case == "twice" else 0)


def test_reviewer_cannot_confirm_a_nil_report(client, reviewer):
    office, month = _owner_of_item_3(), _last_month()
    client.force_login(reviewer)
    response = client.post(
        reverse("oversight:nil-reports"), {"office": office.code, "item": "3", "month": f"{month:%Y-%m}"}
    )
    assert response.status_code in (403, 404) and not NilReport.objects.exists()
