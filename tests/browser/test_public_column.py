"""The public column in real Chromium: a visitor searches for a school, opens its organisation page and the penalty,
files an objection and follows it by tracking code; a reviewer signs in and decides it; the visitor sees the outcome
and the corrected entry. No request leaves the site (no external assets)."""

import re
from importlib import import_module

import pytest
from django.apps import apps

from accounts.roles import Role
from tests.factories import PASSWORD, UserFactory
from tests.factories.publicity import PublicEntries


def _ensure_catalog() -> None:
    """Offices and items come from data migrations; a transactional test run before this one may have flushed them."""
    from credit.models import CalendarDay, Office

    if not Office.objects.exists():
        import_module("credit.migrations.0002_load_catalog").load_catalog(apps, None)
    if not CalendarDay.objects.exists():
        import_module("credit.migrations.0003_seed_calendar").seed(apps, None)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_visitor_objects_reviewer_decides_visitor_sees_outcome(live_server, page, browser):
    _ensure_catalog()
    reviewer = UserFactory(username="pub_browser_reviewer", role=Role.REVIEWER)
    build = PublicEntries(reviewer)
    pub = build.penalty(2, seq=3)  # 南昌市豫章中学
    build.penalty(2, seq=4)
    external: list[str] = []
    page.on("request", lambda r: external.append(r.url) if not r.url.startswith(live_server.url) else None)

    # The visitor searches from the home page.
    page.goto(f"{live_server.url}/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    page.get_by_label("搜索名称、统一社会信用代码或文书号").fill("豫章")
    page.get_by_role("button", name="搜索").first.click()
    page.wait_for_url(re.compile(r"/search/\?q="))
    page.get_by_role("link", name=pub.public_code).first.click()
    page.wait_for_url(f"**/org/{pub.public_code}/")
    assert page.get_by_role("heading", level=1).inner_text() == "南昌市豫章中学"
    page.get_by_role("link", name="南昌市豫章中学").first.click()
    page.wait_for_url(f"**/penalties/{pub.pk}/")

    # … files an objection and gets a tracking code.
    page.get_by_role("link", name="提出异议申诉").click()
    page.get_by_label("申请人（单位或个人）").fill("南昌市豫章中学")
    page.get_by_label("联系电话或电子邮箱（不公开）").fill("0791-86001234")
    page.get_by_label("申请内容与理由").fill("处罚内容表述有误，应为“给予警告”。")
    page.get_by_role("button", name="提交").click()
    page.wait_for_url(re.compile(r"/track/YY[0-9A-Z]{12}/$"))
    code = page.url.rstrip("/").rsplit("/", 1)[1]
    assert "已受理" in page.locator("#request-status").inner_text()

    # … and follows it by tracking code.
    page.goto(f"{live_server.url}/track/")
    page.get_by_label("查询码").fill(code.lower())
    page.get_by_role("button", name="查询").click()
    page.wait_for_url(f"**/track/{code}/")
    assert "0791-86001234" not in page.content()

    # A reviewer signs in and decides it.
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    staff = context.new_page()
    staff.goto(f"{live_server.url}/accounts/login/?next=/workspace/publicity/")
    staff.locator("input[name=username]").fill(reviewer.username)
    staff.locator("input[name=password]").fill(PASSWORD)
    staff.locator("form button[type=submit], form input[type=submit]").last.click()
    staff.wait_for_url("**/workspace/publicity/")
    assert "个工作日" in staff.locator("#request-queue").inner_text()
    staff.get_by_role("link", name=code).click()
    staff.get_by_role("radio", name="予以更正").check()
    staff.get_by_label("答复意见（向申请人公开）").fill("经核实，予以更正。")
    staff.get_by_label("更正后的公示内容（结果为“予以更正”时填写）").fill("给予警告")
    staff.get_by_role("button", name="办结").click()
    staff.wait_for_url("**/workspace/publicity/")
    context.close()

    # The visitor sees the outcome and the corrected entry.
    page.reload()
    status = page.locator("#request-status").inner_text()
    assert "已办结" in status and "予以更正" in status and "经核实，予以更正。" in status
    page.goto(f"{live_server.url}/penalties/{pub.pk}/")
    assert "给予警告" in page.locator("main").inner_text()
    assert not external, external
