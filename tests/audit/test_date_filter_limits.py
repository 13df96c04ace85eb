"""The audit log's filters at the calendar's edges: a form error on the page, never a 500."""

import datetime

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from audit.selectors import audit_event_list
from audit.services import audit_log

pytestmark = pytest.mark.django_db

LIST = "/workspace/audit/"
EXPORT = "/workspace/audit/export.csv"
RANGE = "应在 2000-01-01 至 2100-12-31 之间。"


@pytest.fixture
def auditor_client(client, auditor, clerk):
    audit_log(user=clerk, action="login")
    client.force_login(auditor)
    return client


@pytest.mark.parametrize(
    ("field", "label", "day"),
    [
        ("date_to", "截止日期", "9999-12-31"),
        ("date_from", "起始日期", "9999-12-31"),
        ("date_from", "起始日期", "0001-01-01"),
        ("date_to", "截止日期", "0001-01-01"),
        ("date_to", "截止日期", "2101-01-01"),
    ],
)
def test_a_date_outside_the_log_range_is_a_form_error_naming_the_field(auditor_client, field, label, day):
    response = auditor_client.get(LIST, {field: day})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors[field] == [f"{label}{RANGE}"]
    assert f"{label}{RANGE}" in response.content.decode()
    assert list(response.context["events"]) == []


def test_the_export_with_an_out_of_range_date_is_not_a_500(auditor_client):
    response = auditor_client.get(EXPORT, {"date_to": "9999-12-31"})
    assert response.status_code == 200
    rows = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert rows[0].startswith("时间,用户名")
    assert len(rows) == 1


def test_dates_inside_the_range_still_filter(auditor_client):
    today = timezone.localdate().isoformat()
    response = auditor_client.get(LIST, {"date_from": "2000-01-01", "date_to": "2100-12-31"})
    assert response.status_code == 200 and not response.context["form"].errors
    assert len(response.context["events"]) == AuditEvent.objects.count() >= 1
    response = auditor_client.get(LIST, {"date_from": today, "date_to": today})
    assert len(response.context["events"]) >= 1


def test_the_selector_takes_the_calendar_ends_as_no_bound(clerk):
    audit_log(user=clerk, action="login")
    events = audit_event_list(filters={"date_from": datetime.date.min, "date_to": datetime.date.max})
    assert events.count() == AuditEvent.objects.count() >= 1
