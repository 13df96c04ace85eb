"""The public column in real Chromium as an older visitor sees it: in 大字模式 (and in normal mode) what they type, the
chart they read and the keyboard focus they follow all keep to the page's text size and stay visible."""

import pytest

from tests.browser.test_public_column import _ensure_catalog

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _px(page, selector: str) -> float:
    return page.evaluate(f"() => parseFloat(getComputedStyle(document.querySelector({selector!r})).fontSize)")


def _large_text(page, live_server) -> None:
    page.context.add_cookies([{"name": "nc_text_size", "value": "large", "url": live_server.url}])


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large-text"])
def test_search_boxes_are_set_in_the_pages_text_size(live_server, page, large):
    _ensure_catalog()
    if large:
        _large_text(page, live_server)
    page.goto(f"{live_server.url}/licences/")
    body = _px(page, "body")
    assert body == (20 if large else 16)
    # Below 16 px iOS zooms the page on focus, and in 大字模式 a visitor would type in smaller letters than they read.
    assert _px(page, "#site-q") == body
    assert _px(page, "#list-q") == body


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large-text"])
def test_statistics_chart_labels_are_set_in_the_pages_text_size(live_server, page, large):
    _ensure_catalog()
    if large:
        _large_text(page, live_server)
    page.goto(f"{live_server.url}/statistics/")
    page.wait_for_function("() => window.statisticsChart !== undefined")
    body = _px(page, "body")
    # The axis labels and the legend as Chart.js drew them (its default is 12 px); a legend item is as tall as its text.
    sizes = page.evaluate(
        """() => {
          const chart = window.statisticsChart;
          return [chart.scales.x._resolveTickFontOptions(0).size, chart.scales.y._resolveTickFontOptions(0).size,
                  chart.legend.legendHitBoxes[0].height];
        }"""
    )
    assert sizes == [body, body, body]
