"""The public column on a 390 px phone: what a visitor typed, however long and unbroken, wraps inside the page
instead of widening it (a sideways scroll hides half of every line)."""

import pytest

from tests.browser.test_public_column import _ensure_catalog

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large-text"])
def test_a_long_unbroken_search_term_wraps_in_the_not_found_notice(live_server, page, large):
    _ensure_catalog()
    if large:
        page.context.add_cookies([{"name": "nc_text_size", "value": "large", "url": live_server.url}])
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"{live_server.url}/search/?q={'x' * 150}")
    assert "相关的公示信息" in page.locator(".notice").inner_text()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
