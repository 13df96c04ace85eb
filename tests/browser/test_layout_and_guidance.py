"""What the eye sees in Chromium: the home page's blocks in even rows at 1366 px, the open-data page within a 390 px
phone screen, a favicon served, the repair button disabled before the minimum period, the import form's checkbox
on its label's line, and each role landing on its home after signing in."""

import pytest

from accounts.roles import Role
from tests.browser.test_public_column import _ensure_catalog
from tests.factories import PASSWORD, UserFactory, clerk_of, days_ago
from tests.factories.publicity import PublicEntries

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_home_blocks_fill_even_rows_at_desktop_width(live_server, page):
    _ensure_catalog()
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/")
    for grid in page.locator("main .grid").all():
        boxes = [b.bounding_box() for b in grid.locator(":scope > section").all()]
        rows: dict[int, list] = {}
        for box in boxes:
            rows.setdefault(round(box["y"]), []).append(box)
        counts = [len(r) for r in rows.values()]
        assert len(set(counts)) == 1, f"uneven rows: {counts}"
        assert len({round(b["width"]) for b in boxes}) == 1


def test_open_data_fits_a_phone_screen(live_server, page):
    _ensure_catalog()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/open-data/")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than the screen"


def test_favicon_is_served(live_server, page):
    _ensure_catalog()
    page.goto(f"{live_server.url}/")
    href = page.locator("link[rel=icon]").get_attribute("href")
    response = page.request.get(f"{live_server.url}{href}")
    assert response.ok and "svg" in response.headers["content-type"]


def test_repair_button_is_disabled_before_the_minimum_period(live_server, page):
    _ensure_catalog()
    reviewer = UserFactory(username="layout_reviewer", role=Role.REVIEWER)
    pub = PublicEntries(reviewer).penalty(8, day=days_ago(20))
    page.goto(f"{live_server.url}/penalties/{pub.pk}/")
    assert page.get_by_text("申请信用修复", exact=True).get_attribute("aria-disabled") == "true"
    assert page.locator("a[href$='/repair/']").count() == 0
    assert "尚未满最短公示期" in page.locator("main").inner_text()


def _sign_in(page, base, user):
    page.goto(f"{base}/accounts/login/")
    page.locator("input[name=username]").fill(user.username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()


def test_import_checkbox_sits_on_its_label_line(live_server, page):
    _ensure_catalog()
    clerk = clerk_of("zuren", username="layout_clerk")
    _sign_in(page, live_server.url, clerk)
    page.goto(f"{live_server.url}/workspace/reporting/imports/new/")
    box = page.locator("input[type=checkbox][name=submit]").bounding_box()
    text = page.get_by_text("导入后直接提交审核").bounding_box()
    assert abs((box["y"] + box["height"] / 2) - (text["y"] + text["height"] / 2)) <= 4
    assert box["x"] < text["x"] <= box["x"] + box["width"] + 24
    office = page.locator("select[name=office]")
    assert office.evaluate("s => s.options[s.selectedIndex].text") == "组人处"


@pytest.mark.parametrize(
    ("role", "home", "heading"),
    [(Role.AUDITOR, "/workspace/audit/", "审计"), (Role.REVIEWER, "/workspace/", "工作台")],
)
def test_role_lands_on_its_home_after_signing_in(live_server, page, role, home, heading):
    _ensure_catalog()
    user = UserFactory(username=f"layout_{role}", role=role)
    _sign_in(page, live_server.url, user)
    page.wait_for_url(f"**{home}")
    assert heading in page.content()


def test_admin_two_box_selector_is_chinese(live_server, page):
    _ensure_catalog()
    secadmin = UserFactory(username="layout_secadmin", role=Role.SECADMIN)
    clerk = clerk_of("zuren", username="layout_selector_clerk")
    page.goto(f"{live_server.url}/admin/login/")
    page.locator("input[name=username]").fill(secadmin.username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    page.wait_for_url("**/admin/")
    page.goto(f"{live_server.url}/admin/accounts/user/{clerk.pk}/change/")
    selector = page.locator(".selector").first
    selector.wait_for()
    text = selector.inner_text()
    assert "Choose" not in text and "Remove" not in text, text
    assert "全选" in text
