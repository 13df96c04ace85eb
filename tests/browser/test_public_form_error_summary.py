"""A refused objection or repair form in real Chromium: the page opens on an error summary (focused, announced) whose
links each put the cursor in the field to fix; under the site's CSP, with no inline script."""

import pytest

from accounts.roles import Role
from tests.browser.test_public_column import _ensure_catalog
from tests.factories import UserFactory
from tests.factories.publicity import PublicEntries

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_refused_objection_opens_on_its_error_summary(live_server, page):
    _ensure_catalog()
    pub = PublicEntries(UserFactory(username="summary_reviewer", role=Role.REVIEWER)).penalty(2, seq=3)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)  # a CSP refusal among them
    page.goto(f"{live_server.url}/penalties/{pub.pk}/objection/")
    page.get_by_label("联系电话或电子邮箱（不公开）").fill("0791-86001234")
    page.get_by_role("button", name="提交").click()
    page.wait_for_load_state()

    summary = page.locator("#error-summary")
    assert summary.get_attribute("role") == "alert"
    assert page.evaluate("() => document.activeElement.id") == "error-summary"
    links = summary.get_by_role("link")
    assert links.all_inner_texts() == ["申请人：请填写单位名称或个人姓名。", "申请内容与理由：请填写申请的内容与理由。"]
    links.nth(1).click()
    assert page.evaluate("() => document.activeElement.id") == "id_content"
    assert not errors
