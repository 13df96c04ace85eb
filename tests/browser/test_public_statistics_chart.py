"""The public statistics page (公示统计) draws its chart with the vendored Chart.js in real Chromium, under the site's
CSP, with no request leaving the site; the chart's figures are those of the table beside it."""

import pytest

from accounts.roles import Role
from tests.browser.test_public_column import _ensure_catalog
from tests.factories import UserFactory
from tests.factories.publicity import PublicEntries


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_statistics_chart_is_drawn_from_the_tables_figures(live_server, page):
    _ensure_catalog()
    reviewer = UserFactory(username="stats_browser_reviewer", role=Role.REVIEWER)
    build = PublicEntries(reviewer)
    pub = build.penalty(8, seq=3)  # decided ten days ago
    external: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: external.append(r.url) if not r.url.startswith(live_server.url) else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    response = page.goto(f"{live_server.url}/statistics/?year={pub.decision_date.year}")
    assert response.status == 200
    page.wait_for_function("() => window.statisticsChart !== undefined")
    series = page.evaluate("() => window.statisticsChart.data.datasets.map((d) => [d.label, d.data])")
    totals = page.locator("#stats-totals tbody tr")
    month = pub.decision_date.month
    assert series[1][0] == "行政处罚" and series[1][1][month - 1] == 1
    assert totals.nth(month - 1).locator("td").nth(1).inner_text() == "1"
    assert page.locator("#stats-chart").bounding_box()["height"] > 100
    assert not external and not errors
