"""Odd input on the workspace lists and record form (non-ASCII digits, year 9999): a message or an empty list, never a
500."""

import pytest
from django.utils import timezone

from credit.models import Record
from tests.factories import create_record, record_values

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("q", ["²", "¹²³", "٣", "12²", "99999999999999999999999"])
def test_record_list_search_with_non_ascii_or_huge_digits_lists_nothing(clerk_client, clerk, q):
    create_record(8, clerk)
    response = clerk_client.get("/workspace/records/", {"q": q})
    assert response.status_code == 200
    assert list(response.context["records"]) == []
    assert "没有符合条件的记录。" in response.content.decode()


def test_record_list_search_by_number_still_finds_the_record(clerk_client, clerk):
    record = create_record(8, clerk)
    response = clerk_client.get("/workspace/records/", {"q": str(record.pk)})
    assert [r.pk for r in response.context["records"]] == [record.pk]


@pytest.mark.parametrize("q", ["²", "99999999999999999999999"])
def test_review_queue_search_with_odd_digits_lists_nothing(reviewer_client, clerk, q):
    create_record(8, clerk, status="submitted")
    response = reviewer_client.get("/workspace/review/", {"q": q})
    assert response.status_code == 200
    assert "没有待审核的记录。" in response.content.decode()


def test_record_form_with_business_date_9999_12_31_is_a_form_error(clerk_client):
    data = {**record_values(8), "penalty_date": "9999-12-31", "business_date": "9999-12-31"}
    response = clerk_client.post("/workspace/items/8/new/", data)
    assert response.status_code in (200, 400)
    assert "业务发生日期不能晚于今天。" in response.content.decode()
    assert not Record.objects.exists()


def test_today_is_still_a_valid_business_date(clerk_client):
    today = timezone.localdate().isoformat()
    data = {**record_values(8), "penalty_date": today}
    clerk_client.post("/workspace/items/8/new/", data)
    assert Record.objects.count() == 1
