"""In real Chromium: a clerk withdraws a submission and submits it again; the reviewer approves the penalty with
"同时公示" and the national columns, and the public column shows it at once, with the ID number masked."""

import pytest
from django.utils import timezone

from accounts.roles import Role
from credit.models import Record, RecordStatus
from publicity.models import Publication
from tests.browser.test_workspace_flow import _ensure_catalog, login
from tests.factories import UserFactory, clerk_of, create_record
from tests.typed import typed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_withdraw_resubmit_then_approve_and_publish(live_server, browser):
    from playwright.sync_api import expect

    expect.set_options(timeout=20_000)
    _ensure_catalog()
    clerk_user = clerk_of("zuren", username="clerk_zuren", last_name="组人处填报员")
    UserFactory(username="reviewer", role=Role.REVIEWER, last_name="办公室审核员")
    record = create_record(8, clerk_user, status="submitted", day=timezone.localdate())
    base = live_server.url
    url = f"{base}/workspace/records/{record.pk}/"

    clerk_ctx = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    reviewer_ctx = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    public_ctx = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    try:
        clerk = clerk_ctx.new_page()
        login(clerk, base, "clerk_zuren")
        clerk.goto(url)
        clerk.click("#withdraw-record-form button")
        expect(clerk.locator(".msg-success")).to_contain_text("已撤回为草稿")
        expect(clerk.locator("h1 .status")).to_have_text("草稿")
        assert Record.objects.get(pk=record.pk).status == RecordStatus.DRAFT
        clerk.click("#actions button:has-text('提交审核')")
        expect(clerk.locator("h1 .status")).to_have_text("待审核")

        reviewer = reviewer_ctx.new_page()
        login(reviewer, base, "reviewer")
        reviewer.goto(url)
        expect(reviewer.locator("#approve-publication")).to_be_visible()
        expect(reviewer.locator("#approve-publication input[name=publish]")).to_be_checked()
        reviewer.fill("#approve-publication [name=offence_type]", "违反教师职业行为准则")
        reviewer.fill("#approve-publication [name=penalty_basis]", "《教师资格条例》第十九条")
        reviewer.select_option("#approve-publication [name=penalty_category]", "警告")
        reviewer.click("button[name=approve]")
        expect(reviewer.locator(".msg-success").first).to_contain_text("已审核通过")
        expect(reviewer.locator("#publication-status")).to_contain_text("公示至")
        publication = Publication.objects.get(record_id=record.pk)

        visitor = public_ctx.new_page()
        visitor.goto(f"{base}/penalties/{publication.pk}/")
        expect(visitor.locator("main")).to_contain_text("违反教师职业行为准则")
        full_id = typed(record).id_number
        assert full_id not in visitor.content()
        expect(visitor.locator("main")).to_contain_text(full_id[:6] + "********" + full_id[-4:])
    finally:
        clerk_ctx.close()
        reviewer_ctx.close()
        public_ctx.close()
