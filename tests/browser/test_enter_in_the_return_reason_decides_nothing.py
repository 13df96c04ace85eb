"""In real Chromium: Enter in the review queue's return-reason box (or on a ticked record's box) decides nothing.

It used to press the form's first submit button, 批量通过: the ticked records were approved (a red-list record went on
the public column at once) and the reason typed was thrown away. On the record page the return reason is a text
area of its own form, so Enter there only starts a new line.
"""

import pytest

from accounts.roles import Role
from credit.models import Record, RecordStatus
from tests.browser.test_workspace_flow import _ensure_catalog, login
from tests.factories import UserFactory, clerk_of, create_record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

REASON = "处罚依据不全，请补充。"


def _statuses(*records: Record) -> list[str]:
    return [Record.objects.get(pk=r.pk).status for r in records]


def test_enter_in_the_reason_box_approves_nothing_and_the_return_button_returns(live_server, browser):
    from playwright.sync_api import expect

    expect.set_options(timeout=20_000)
    _ensure_catalog()
    clerk = clerk_of("zuren")
    UserFactory(username="reviewer", role=Role.REVIEWER, last_name="办公室审核员")
    red = create_record(7, clerk, status="submitted")  # 表彰奖励: approving lists it on the red list at once
    penalty = create_record(8, clerk, status="submitted")
    base = live_server.url
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    try:
        page = context.new_page()
        login(page, base, "reviewer")
        posts: list[str] = []
        page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)
        page.goto(f"{base}/workspace/review/")
        page.check(f"input[name=records][value='{red.pk}']")
        page.check(f"input[name=records][value='{penalty.pk}']")
        reason = page.locator("#bulk-form input[name=reason]")
        reason.fill(REASON)
        reason.press("Enter")
        # A submission would have sent its request at once; give it time to, then look.
        page.wait_for_timeout(1500)
        assert posts == [], "Enter in the reason box submitted the form"
        # Chromium submits on Enter in a check box too, with the first enabled button (批量通过).
        page.locator(f"input[name=records][value='{penalty.pk}']").press("Enter")
        page.wait_for_timeout(1500)
        assert posts == [], "Enter on a ticked record submitted the form"
        expect(reason).to_have_value(REASON)
        assert _statuses(red, penalty) == [RecordStatus.SUBMITTED, RecordStatus.SUBMITTED]

        # The reviewer's intent, pressed: both are returned with the reason typed.
        page.click("button[name=action][value=return]")
        expect(page.locator(".msg-success").first).to_contain_text("已退回 2 条记录")
        assert _statuses(red, penalty) == [RecordStatus.RETURNED, RecordStatus.RETURNED]
        assert {Record.objects.get(pk=r.pk).decision_reason for r in (red, penalty)} == {REASON}

        # The record page: Enter in the return reason (a text area) only starts a new line.
        other = create_record(8, clerk, status="submitted")
        page.goto(f"{base}/workspace/records/{other.pk}/")
        posts.clear()
        page.fill("#id_reason", REASON)
        page.press("#id_reason", "Enter")
        page.wait_for_timeout(1500)
        assert posts == [], "Enter in the record page's return reason submitted its form"
        assert _statuses(other) == [RecordStatus.SUBMITTED]
    finally:
        context.close()
