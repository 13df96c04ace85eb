"""Malformed requests to the credit API (dates past the calendar, bodies that are not JSON objects): 400 with a Chinese
message naming the field, never a 500."""

import datetime

import pytest
from rest_framework.test import APIClient

from credit.models import Item, Record, RecordChange
from credit.services.calendar import CalendarRangeError, due_date_for, item_due_date, semiannual_period
from tests.factories import create_record, record_values

pytestmark = pytest.mark.django_db

DUE = "/api/v1/workdays/due-date/"


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _messages(response) -> list[str]:
    return [m for msgs in response.json().values() for m in msgs]


# --- due-date endpoint ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("start", ["9999-12-31", "9999-12-25", "0001-01-01", "1800-01-01", "2101-01-01"])
def test_due_date_with_a_start_outside_the_supported_range_is_400_naming_the_field(clerk, start):
    response = api(clerk).get(DUE, {"start": start, "days": 7})
    assert response.status_code == 400
    assert list(response.json()) == ["start"]
    assert response.json()["start"] == ["业务发生日期：应在 1949-01-01 至 2100-12-31 之间。"]


@pytest.mark.parametrize("days", ["367", "100000000000000000000", "²", "7.5"])
def test_due_date_with_days_out_of_range_or_not_a_number_is_400_naming_the_field(clerk, days):
    response = api(clerk).get(DUE, {"start": "2026-03-02", "days": days})
    assert response.status_code == 400
    assert list(response.json()) == ["days"]
    assert response.json()["days"][0].startswith("工作日数：")


def test_due_date_at_the_edges_of_the_range_is_answered(clerk):
    assert api(clerk).get(DUE, {"start": "2100-12-31", "days": 366}).status_code == 200
    # 1949-01-01 was a Saturday; no official calendar that year, so the Monday–Friday rule stands in (暂定).
    assert api(clerk).get(DUE, {"start": "1949-01-01", "days": 1}).json() == {"due": "1949-01-03", "provisional": True}


# --- the calendar service itself -----------------------------------------------------------------------------------


def test_calendar_raises_a_domain_error_past_the_last_representable_date():
    with pytest.raises(CalendarRangeError) as exc:
        due_date_for(datetime.date(9999, 12, 31), 7)
    assert "超出日历范围" in exc.value.messages[0]
    with pytest.raises(CalendarRangeError):
        due_date_for(datetime.date(9999, 12, 27), 7)


def test_calendar_still_computes_due_dates_close_to_the_last_representable_date():
    # 9999-12-20 is a Monday: seven Monday–Friday days later is Wednesday 9999-12-29 (provisional, no official data).
    result = due_date_for(datetime.date(9999, 12, 20), 7)
    assert (result.due, result.provisional) == (datetime.date(9999, 12, 29), True)


def test_semiannual_period_of_the_last_year_has_a_domain_error_not_a_crash(settings):
    settings.SEMIANNUAL_DUE_DATES = [(6, 30), (11, 30)]
    with pytest.raises(CalendarRangeError):
        semiannual_period(datetime.date(9999, 12, 15))
    assert semiannual_period(datetime.date(9998, 12, 15))[1] == datetime.date(9999, 6, 30)


def test_item_due_date_of_a_working_day_item_at_the_calendar_edge_is_a_domain_error():
    item = Item.objects.get(no=8)
    with pytest.raises(CalendarRangeError):
        item_due_date(item, datetime.date(9999, 12, 31))


# --- record bodies that are not JSON objects ------------------------------------------------------------------------

NOT_AN_OBJECT = ["[]", '["name"]', "7", '"text"', "null", "true", '[{"name": "张三"}]']


@pytest.mark.parametrize("body", NOT_AN_OBJECT)
def test_create_with_a_body_that_is_not_a_json_object_is_400(clerk, body):
    response = api(clerk).post("/api/v1/items/8/records/", body, content_type="application/json")
    assert response.status_code == 400
    assert _messages(response) == ['请求体必须是JSON对象（键为字段名），例如 {"name": "张三"}。']
    assert not Record.objects.exists()


@pytest.mark.parametrize("body", NOT_AN_OBJECT)
def test_patch_with_a_body_that_is_not_a_json_object_is_400(clerk, body):
    record = create_record(8, clerk)
    version = record.version
    response = api(clerk).patch(f"/api/v1/records/{record.pk}/", body, content_type="application/json")
    assert response.status_code == 400
    assert _messages(response) == ['请求体必须是JSON对象（键为字段名），例如 {"name": "张三"}。']
    record.refresh_from_db()
    assert record.version == version


def test_patch_of_an_approved_record_with_an_array_body_is_400_and_proposes_no_change(clerk, reviewer):
    record = create_record(8, clerk, status="approved", reviewer=reviewer)
    response = api(clerk).patch(f"/api/v1/records/{record.pk}/", "[]", content_type="application/json")
    assert response.status_code == 400
    assert not RecordChange.objects.exists()


def test_array_body_on_a_record_out_of_scope_is_still_404(clerk, clerk_out):
    record = create_record(8, clerk)
    response = api(clerk_out).patch(f"/api/v1/records/{record.pk}/", "[]", content_type="application/json")
    assert response.status_code == 404


@pytest.mark.parametrize("path", ["submit", "return", "revoke", "approve"])
def test_transition_with_an_array_body_is_400_not_500(clerk, reviewer, path):
    record = create_record(8, clerk, status="submitted", reviewer=reviewer)
    user = clerk if path == "submit" else reviewer
    response = api(user).post(f"/api/v1/records/{record.pk}/{path}/", "[1]", content_type="application/json")
    assert response.status_code == 400


def test_an_object_body_with_odd_values_is_a_field_error_not_a_500(clerk):
    data = {**record_values(8), "penalty_date": ["2026-01-05"], "name": {"a": 1}, "office": ["zuren"]}
    response = api(clerk).post("/api/v1/items/8/records/", data, format="json")
    assert response.status_code == 400
    assert not Record.objects.exists()


def test_change_note_that_is_not_text_is_400_naming_the_note(clerk, reviewer):
    record = create_record(8, clerk, status="approved", reviewer=reviewer)
    body = {"offence": "修改后的案由", "note": ["一", "二"]}
    response = api(clerk).patch(f"/api/v1/records/{record.pk}/", body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["note"]
    assert response.json()["note"][0].startswith("变更说明：")
    assert not RecordChange.objects.exists()


@pytest.mark.parametrize(
    "value, shown_before",
    [(["洪教罚〔2026〕201号"], "['洪教罚〔2026〕201号']"), ({"x": 1}, "{'x': 1}"), (False, "False"), (True, "True")],
)
def test_a_data_item_sent_as_an_array_object_or_boolean_is_400_naming_it_and_nothing_is_stored(
    clerk, value, shown_before
):
    # Before, the form turned the value into Python's rendering of it: a draft whose 文书号 read "['洪教罚…']" or
    # "False", approved and published as such.
    data = {**record_values(8), "decision_number": value}
    response = api(clerk).post("/api/v1/items/8/records/", data, format="json")
    assert response.status_code == 400
    assert response.json() == {"decision_number": ["处罚文书编号：应为文本（字符串），不能是数组、对象或 true/false。"]}
    assert not Record.objects.exists()


def test_a_patch_with_a_boolean_data_item_is_400_and_the_draft_keeps_its_value(clerk):
    record = create_record(8, clerk)
    before = record.decision_number
    response = api(clerk).patch(f"/api/v1/records/{record.pk}/", {"decision_number": False}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["decision_number"]
    record.refresh_from_db()
    assert record.decision_number == before


def test_a_number_for_a_text_data_item_is_taken_as_its_digits(clerk):
    data = {**record_values(8), "decision_number": 2026201}
    response = api(clerk).post("/api/v1/items/8/records/", data, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["decision_number"] == "2026201"
