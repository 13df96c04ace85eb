"""The reviewer's queue of objections and repairs shows each one's ten-working-day timer, computed on one calendar
for the whole page: the dashboard's queries do not grow with its rows."""

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from credit.services.calendar import working_days_between
from publicity import selectors
from publicity.models import Objection
from publicity.services.requests import objection_file, repair_apply
from tests.factories import days_ago
from tests.factories.publicity import commitment_pdf

pytestmark = pytest.mark.django_db


_contacts = itertools.count(1)


def _objection(target):
    # Each from its own contact: at most three open cases per contact (PUBLICITY_OPEN_REQUESTS_PER_CONTACT).
    return objection_file(target=target, applicant_name="甲", applicant_contact=f"x{next(_contacts)}", content="有误")


def _repair(pub):
    return repair_apply(
        publication=pub,
        applicant_name="乙",
        applicant_contact=f"y{next(_contacts)}",
        content="已整改",
        commitment=commitment_pdf(),
    )


def _dashboard_queries(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/workspace/publicity/")
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_dashboard_queries_do_not_grow_with_requests(build, client):
    client.force_login(build.reviewer)
    first = _objection(build.penalty(8))
    _repair(build.penalty(2, day=days_ago(120)))
    client.get("/workspace/publicity/")  # warm the session and caches
    few, html = _dashboard_queries(client)
    assert first.tracking_code in html

    more = [
        _objection(build.licence()),
        _objection(build.blacklist()),
        _objection(build.red(7)),
        _repair(build.penalty(2, day=days_ago(130))),
        _repair(build.penalty(2, day=days_ago(140))),
    ]
    overdue = more[0]
    Objection.objects.filter(pk=overdue.pk).update(due_date=timezone.localdate() - datetime.timedelta(days=30))
    many, html = _dashboard_queries(client)
    assert many == few
    assert all(r.tracking_code in html for r in more)
    assert "已超期" in html and "个工作日" in html


def test_timers_match_the_working_days_count(build):
    today = timezone.localdate()
    req = _objection(build.penalty(8))
    rows = selectors.open_requests(today=today)
    assert [r.pk for r in rows] == [req.pk]
    assert rows[0].days_left == working_days_between(today, req.due_date) == 10
    decided = selectors.request_timers([Objection(status="decided", due_date=today)])
    assert decided[0].days_left is None
