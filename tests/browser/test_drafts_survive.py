"""Drafts survive (issue 16) in real Chromium: what a clerk typed into a long form outlives an expired session and
comes back after signing in again — to that clerk only — and leaving a form with unsaved changes asks first."""

import re

import pytest
from django.contrib.sessions.models import Session

from credit.demo import person_id
from credit.models import Record
from credit.models.records import TeacherPenaltyRecord
from tests.browser.test_accessibility import AXE, AXE_OPTIONS, BLOCKING
from tests.browser.test_workspace_flow import _ensure_catalog
from tests.factories import PASSWORD, clerk_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

FORM = "/workspace/items/8/new/"  # 教师行政处罚: a long form with an ID number
TYPED = {
    "name": "王晓明",
    "offence": "违规组织有偿补课",
    "decision_number": "洪教罚〔2026〕21号",
    "penalty_result": "给予警告处分",
    "penalty_authority": "南昌市教育局",
    "penalty_date": "2026-11-02",
}


def _sign_in(page, username: str) -> None:
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")


def _open_form_signed_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/?next={FORM}")
    _sign_in(page, username)
    page.wait_for_url(f"{base}{FORM}")


def _type_record(page) -> None:
    for name, value in TYPED.items():
        page.fill(f"[name={name}]", value)
    page.fill("[name=id_number]", person_id(11))
    page.locator("#due-date-value").filter(has_text="-").wait_for()  # the due-date look-up has answered


def _expire_sessions_and_submit(page, base: str) -> None:
    """The server forgets every session (timed out, signed out elsewhere); the clerk then presses 保存草稿."""
    page.wait_for_function("() => JSON.stringify(Object.assign({}, sessionStorage)).includes('有偿补课')")
    stored = page.evaluate("() => JSON.stringify(Object.assign({}, sessionStorage))")
    assert "王晓明" in stored and "csrfmiddlewaretoken" not in stored  # kept in the tab, never the CSRF token
    assert not page.evaluate("() => localStorage.length")
    Session.objects.all().delete()
    page.click("button[name=save]")
    page.wait_for_url(re.compile(r"/accounts/login/\?next="))


@pytest.fixture
def tab(browser):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


def test_typed_record_is_restored_after_signing_in_again_and_then_saves(live_server, tab):
    from playwright.sync_api import expect

    _ensure_catalog()
    clerk_of("zuren", username="clerk_drafts")
    base = live_server.url
    _open_form_signed_in(tab, base, "clerk_drafts")
    _type_record(tab)
    _expire_sessions_and_submit(tab, base)
    expect(tab.locator(".messages")).to_contain_text("登录已失效")
    assert not Record.objects.exists()

    _sign_in(tab, "clerk_drafts")
    tab.wait_for_url(f"{base}{FORM}")
    notice = tab.locator("#draft-notice")
    expect(notice).to_have_attribute("role", "status")
    expect(notice).to_contain_text("已恢复您上次未提交的内容")
    for name, value in TYPED.items():
        expect(tab.locator(f"[name={name}]")).to_have_value(value)
    expect(tab.locator("[name=id_number]")).to_have_value(person_id(11))
    expect(tab.locator("#due-date")).to_be_visible()  # the restored date fed the due-date helper too
    tab.evaluate(AXE)
    result = tab.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    assert [v["id"] for v in result["violations"] if v["impact"] in BLOCKING] == []

    tab.click("button[name=save]")
    expect(tab.locator(".msg-success")).to_be_visible()
    record = TeacherPenaltyRecord.objects.get()
    assert record.decision_number == TYPED["decision_number"]

    # Saved: the draft is gone, the empty form shows no notice and nothing typed.
    tab.goto(f"{base}{FORM}")
    expect(tab.locator("[name=name]")).to_have_value("")
    expect(tab.locator("#draft-notice")).to_have_count(0)


def test_restored_draft_can_be_discarded(live_server, tab):
    from playwright.sync_api import expect

    _ensure_catalog()
    clerk_of("zuren", username="clerk_drafts")
    base = live_server.url
    _open_form_signed_in(tab, base, "clerk_drafts")
    _type_record(tab)
    _expire_sessions_and_submit(tab, base)
    _sign_in(tab, "clerk_drafts")
    tab.wait_for_url(f"{base}{FORM}")
    tab.click("#draft-notice [data-draft-discard]")
    expect(tab.locator("#draft-notice")).to_have_count(0)
    expect(tab.locator("[name=name]")).to_have_value("")
    tab.reload()
    expect(tab.locator("[name=offence]")).to_have_value("")
    expect(tab.locator("#draft-notice")).to_have_count(0)


def test_another_user_signing_in_on_the_tab_sees_nothing_restored(live_server, tab):
    from playwright.sync_api import expect

    _ensure_catalog()
    clerk_of("zuren", username="clerk_drafts")
    clerk_of("zuren", username="clerk_next")
    base = live_server.url
    _open_form_signed_in(tab, base, "clerk_drafts")
    _type_record(tab)
    _expire_sessions_and_submit(tab, base)

    _sign_in(tab, "clerk_next")
    tab.wait_for_url(f"{base}{FORM}")
    expect(tab.locator("h1")).to_contain_text("教师行政处罚")
    expect(tab.locator("#draft-notice")).to_have_count(0)
    expect(tab.locator("[name=name]")).to_have_value("")
    expect(tab.locator("[name=id_number]")).to_have_value("")
    # Nor is the first clerk's draft left in the tab: what they typed (an ID number) is gone from storage.
    stored = tab.evaluate("() => Object.keys(sessionStorage).map(k => k + '=' + sessionStorage.getItem(k)).join()")
    assert person_id(11) not in stored
    assert "王晓明" not in stored


def test_leaving_a_changed_form_asks_first_and_an_untouched_one_does_not(live_server, tab):
    from playwright.sync_api import expect

    _ensure_catalog()
    clerk_of("zuren", username="clerk_drafts")
    base = live_server.url
    _open_form_signed_in(tab, base, "clerk_drafts")
    dialogs = []

    def on_dialog(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()  # 留在此页

    tab.on("dialog", on_dialog)
    tab.click("nav.mainnav a[href='/workspace/records/']")  # untouched: leaves without asking
    tab.wait_for_url(f"{base}/workspace/records/")
    assert dialogs == []

    tab.goto(f"{base}{FORM}")
    tab.fill("[name=offence]", "违规组织有偿补课")
    tab.click("nav.mainnav a[href='/workspace/records/']")
    expect(tab.locator("[name=offence]")).to_have_value("违规组织有偿补课")  # stayed on the form
    assert dialogs == ["beforeunload"]

    # Submitting is not leaving: no question, the record is saved.
    _type_record(tab)
    tab.click("button[name=save]")
    expect(tab.locator(".msg-success")).to_be_visible()
    assert dialogs == ["beforeunload"]


def test_restored_edit_of_a_record_changed_meanwhile_meets_the_version_check(live_server, tab):
    """The draft remembers the version it was typed over: a colleague's change made while this clerk was signed out
    is not silently overwritten by the restored values."""
    from playwright.sync_api import expect

    from tests.factories import create_record

    _ensure_catalog()
    clerk = clerk_of("zuren", username="clerk_drafts")
    record = create_record(8, clerk)
    edit = f"/workspace/records/{record.pk}/edit/"
    base = live_server.url
    tab.goto(f"{base}/accounts/login/?next={edit}")
    _sign_in(tab, "clerk_drafts")
    tab.wait_for_url(f"{base}{edit}")
    tab.fill("[name=offence]", "违规组织有偿补课（已核实）")
    tab.wait_for_function("() => JSON.stringify(Object.assign({}, sessionStorage)).includes('已核实')")
    Session.objects.all().delete()
    tab.click("button[name=save]")
    tab.wait_for_url(re.compile(r"/accounts/login/\?next="))
    TeacherPenaltyRecord.objects.filter(pk=record.pk).update(version=record.version + 1)  # a colleague saved

    _sign_in(tab, "clerk_drafts")
    tab.wait_for_url(f"{base}{edit}")
    expect(tab.locator("#draft-notice")).to_contain_text("已恢复您上次未提交的内容")
    expect(tab.locator("[name=offence]")).to_have_value("违规组织有偿补课（已核实）")
    tab.click("button[name=save]")
    expect(tab.locator("main")).to_contain_text("该记录已在别处被修改")
    assert TeacherPenaltyRecord.objects.get(pk=record.pk).offence != "违规组织有偿补课（已核实）"


def test_public_objection_form_warns_before_leaving_and_keeps_nothing_in_the_tab(live_server, tab):
    """The visitor's form carries an ID number and evidence files: it only asks before leaving, it stores nothing."""
    from tests.factories import UserFactory
    from tests.factories.publicity import PublicEntries

    _ensure_catalog()
    entry = PublicEntries(UserFactory(username="reviewer_drafts", role="reviewer")).penalty(2)
    base = live_server.url
    tab.goto(f"{base}/penalties/{entry.pk}/objection/")
    dialogs = []

    def on_dialog(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()

    tab.on("dialog", on_dialog)
    tab.fill("[name=applicant_name]", "南昌市豫章中学")
    tab.fill("[name=content]", "处罚内容有误")
    tab.wait_for_timeout(400)  # longer than the module's save delay
    assert tab.evaluate("() => sessionStorage.length + localStorage.length") == 0
    tab.click("nav.site-nav a[href='/']")
    tab.wait_for_timeout(200)
    assert dialogs == ["beforeunload"]
    assert "/objection/" in tab.url


def test_licence_form_is_restored_after_signing_in_again(live_server, tab):
    from playwright.sync_api import expect

    _ensure_catalog()
    clerk_of("zuren", username="clerk_drafts")
    base = live_server.url
    form = "/workspace/publicity/licences/new/"
    tab.goto(f"{base}/accounts/login/?next={form}")
    _sign_in(tab, "clerk_drafts")
    tab.wait_for_url(f"{base}{form}")
    tab.fill("[name=nr]", "准予举办民办培训学校")
    tab.wait_for_function("() => JSON.stringify(Object.assign({}, sessionStorage)).includes('民办培训')")
    Session.objects.all().delete()
    tab.click("button[name=save]")
    tab.wait_for_url(re.compile(r"/accounts/login/\?next="))
    _sign_in(tab, "clerk_drafts")
    tab.wait_for_url(f"{base}{form}")
    expect(tab.locator("#draft-notice")).to_contain_text("已恢复您上次未提交的内容")
    expect(tab.locator("[name=nr]")).to_have_value("准予举办民办培训学校")
    tab.evaluate(AXE)
    result = tab.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    assert [v["id"] for v in result["violations"] if v["impact"] in BLOCKING] == []
