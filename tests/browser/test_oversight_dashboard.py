"""The oversight dashboard draws its charts with the vendored Chart.js in real Chromium (no CDN)."""

import datetime

import pytest
from django.conf import settings
from django.test import Client

from accounts.roles import Role
from credit.models import InstitutionRecord, Item, Office, RecordStatus
from oversight.aggregates import aggregates_rebuild
from tests.factories import UserFactory

CHART_IDS = ["chart-ontime", "chart-trend", "chart-item", "chart-category", "chart-indicators"]


def _login_cookie(user, live_server) -> dict:
    client = Client()
    client.force_login(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_dashboard_draws_every_chart(live_server, page):
    reviewer = UserFactory(username="reviewer_browser", role=Role.REVIEWER)
    office = Office.objects.get(code="yijiao")
    for day, status, submitted in [
        (5, RecordStatus.APPROVED, datetime.datetime(2026, 3, 4, 10, tzinfo=datetime.UTC)),
        (12, RecordStatus.DRAFT, None),
    ]:
        InstitutionRecord.objects.create(
            item=Item.objects.get(no=3),
            office=office,
            created_by=reviewer,
            updated_by=reviewer,
            org_name=f"南昌市第{day}中学",
            org_code="91350100M000100Y43",
            supervising_authority="南昌市教育局",
            school_type="初级中学",
            business_date=datetime.date(2026, 3, 1),
            due_date=datetime.date(2026, 3, day),
            validity_end=datetime.date(2031, 3, 1),
            status=status,
            submitted_at=submitted,
        )
    # Made with objects.create, past credit's services and their signals: recount the oversight cells by hand.
    aggregates_rebuild()
    external = []
    page.on(
        "request", lambda request: external.append(request.url) if not request.url.startswith(live_server.url) else None
    )
    page.context.add_cookies([_login_cookie(reviewer, live_server)])
    response = page.goto(f"{live_server.url}/workspace/oversight/?period=2026")
    assert response.status == 200
    page.wait_for_function("() => window.oversightCharts && Object.keys(window.oversightCharts).length === 5")
    drawn = page.evaluate(
        """(ids) => ids.map((id) => {
            const canvas = document.getElementById(id);
            const chart = window.Chart.getChart(canvas);
            const ctx = canvas.getContext('2d');
            const pixels = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
            let painted = 0;
            for (let i = 3; i < pixels.length; i += 4) { if (pixels[i] !== 0) { painted++; } }
            return {id, chart: !!chart, type: chart && chart.config.type, width: canvas.width, painted};
        })""",
        CHART_IDS,
    )
    for chart in drawn:
        assert chart["chart"], chart
        assert chart["width"] > 0 and chart["painted"] > 100, chart
    trend = page.evaluate("() => window.oversightCharts['chart-trend'].data.datasets.map((d) => d.data[2])")
    assert trend == [1, 0, 1, 0]  # March: 1 overdue, 0 late, 1 on time, none not yet due
    # Each chart is also a table.
    assert page.locator("#tbl-ontime tbody tr").count() == Office.objects.count()
    assert external == []
