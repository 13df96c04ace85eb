"""The whole review cycle in real Chromium against a live server: entry with a bad ID number, due date, submit,
return with a reason, correction and resubmission, approval, and the history showing all of it."""

import datetime
import re

import pytest
from django.utils import timezone

from accounts.roles import Role
from credit.demo import person_id
from credit.models import EventAction, Record, RecordEvent
from credit.services.calendar import due_date_for
from tests.factories import PASSWORD, UserFactory, clerk_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _ensure_catalog() -> None:
    """Reload what the migrations load (offices, items, calendar) if an earlier transactional test flushed it.

    Serialized rollback normally restores it, but under xdist a worker's connection seen from inside Playwright's
    event loop is not the one the serialized copy was stored on; loading it again here keeps the test independent.
    """
    from importlib import import_module

    from django.apps import apps

    from credit.models import CalendarDay, Office

    if not Office.objects.exists():
        import_module("credit.migrations.0002_load_catalog").load_catalog(apps, None)
    if not CalendarDay.objects.exists():
        import_module("credit.migrations.0003_seed_calendar").seed(apps, None)


def login(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/workspace/")


def test_clerk_and_reviewer_complete_a_review_cycle(live_server, browser):
    from playwright.sync_api import expect

    # Generous waits: CI runs this beside other workers, and the live server answers slower under load.
    expect.set_options(timeout=20_000)
    _ensure_catalog()
    clerk_of("zuren", username="clerk_zuren", last_name="组人处填报员")
    UserFactory(username="reviewer", role=Role.REVIEWER, last_name="办公室审核员")
    base = live_server.url
    penalty_day = timezone.localdate() - datetime.timedelta(days=2)
    expected_due = due_date_for(penalty_day, 7)
    good_id = person_id(7)
    bad_id = good_id[:-1] + ("0" if good_id[-1] != "0" else "1")

    clerk_ctx = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    reviewer_ctx = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    try:
        clerk = clerk_ctx.new_page()
        login(clerk, base, "clerk_zuren")

        # 1. Enter an item-8 record (教师行政处罚) with a bad ID number.
        clerk.click("a[href='/workspace/items/8/new/']")
        expect(clerk.locator("h1")).to_contain_text("教师行政处罚")
        clerk.fill("[name=name]", "王晓明")
        clerk.fill("[name=id_number]", bad_id)
        clerk.fill("[name=offence]", "违规组织有偿补课")
        clerk.fill("[name=decision_number]", "洪教罚〔2026〕9号")
        clerk.fill("[name=penalty_result]", "给予警告处分")
        clerk.fill("[name=penalty_authority]", "南昌市教育局")
        expect(clerk.locator("#due-date")).to_be_hidden()
        clerk.fill("[name=penalty_date]", penalty_day.isoformat())
        # The due date appears as soon as the (natural) business date is entered.
        expect(clerk.locator("#due-date-value")).to_have_text(expected_due.due.isoformat())
        clerk.click("button[name=submit]")

        # 2. The Chinese message appears under the ID number field; nothing was saved.
        expect(clerk.locator("#field-id_number .error")).to_contain_text("校验位错误")
        assert not Record.objects.exists()

        # 3. Correct it, see the due date, submit.
        clerk.fill("[name=id_number]", good_id)
        expect(clerk.locator("#due-date-value")).to_have_text(expected_due.due.isoformat())
        clerk.click("button[name=submit]")
        expect(clerk.locator(".msg-success")).to_contain_text("已提交")
        expect(clerk.locator("h1 .status")).to_have_text("待审核")
        record_url = clerk.url
        record_pk = int(re.search(r"/records/(\d+)/", record_url).group(1))

        # 4. The reviewer returns it with a reason.
        reviewer = reviewer_ctx.new_page()
        login(reviewer, base, "reviewer")
        reviewer.click("a[href='/workspace/review/']")
        expect(reviewer.locator(f"tr[data-record='{record_pk}']")).to_contain_text("按时")
        reviewer.goto(record_url)
        reviewer.fill("#id_reason", "处罚文书编号有误，请核对后重新提交。")
        reviewer.click("button[name=return]")
        expect(reviewer.locator(".msg-success")).to_contain_text("已退回")
        expect(reviewer.locator("h1 .status")).to_have_text("已退回")

        # 5. The clerk sees the reason, corrects and resubmits.
        clerk.goto(f"{base}/workspace/")
        expect(clerk.locator("[data-office=zuren] [data-count=returned]")).to_have_text("1")
        clerk.goto(record_url)
        expect(clerk.locator("#return-reason")).to_contain_text("处罚文书编号有误")
        clerk.click("a:has-text('修改')")
        expect(clerk.locator("#return-reason")).to_contain_text("处罚文书编号有误")
        expect(clerk.locator("#due-date-value")).to_have_text(expected_due.due.isoformat())
        clerk.fill("[name=decision_number]", "洪教罚〔2026〕10号")
        clerk.click("button[name=submit]")
        expect(clerk.locator(".msg-success")).to_contain_text("已修改并提交审核")
        expect(clerk.locator("h1 .status")).to_have_text("待审核")

        # 6. The reviewer approves it from the queue, while an older tab still shows the record as submitted.
        stale = reviewer_ctx.new_page()
        stale.goto(record_url)
        reviewer.goto(f"{base}/workspace/review/")
        reviewer.click(f"button[name=approve_one][value='{record_pk}']")
        expect(reviewer.locator(".msg-success")).to_contain_text("已通过 1 条记录")
        # Approving again from the stale tab is told it was already decided, not applied twice.
        stale.click("button[name=approve]")
        expect(stale.locator(".msg-error")).to_contain_text("已被审核")
        reviewer.goto(f"{base}/workspace/records/{record_pk}/")
        expect(reviewer.locator("h1 .status")).to_have_text("已通过")

        # 7. The record page shows the whole story.
        clerk.goto(record_url)
        events = clerk.locator("#events li")
        expect(events).to_have_count(5)
        expect(clerk.locator("#events")).to_contain_text("处罚文书编号有误，请核对后重新提交。")
        actions = events.evaluate_all("els => els.map(e => e.dataset.action)")
        assert actions == ["create", "submit", "return", "submit", "approve"]
        history = clerk.locator("#history")
        expect(history).to_contain_text("洪教罚〔2026〕9号")
        expect(history).to_contain_text("洪教罚〔2026〕10号")
        expect(history).to_contain_text("办公室审核员")
        expect(history).to_contain_text("组人处填报员")
    finally:
        clerk_ctx.close()
        reviewer_ctx.close()

    assert RecordEvent.objects.filter(record_id=record_pk, action=EventAction.APPROVE).count() == 1
