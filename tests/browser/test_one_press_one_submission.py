"""One press, one submission, in real Chromium: while a form is being sent, a second press (a double click, an
impatient press while the server is slow) sends nothing more. Before, each press was a request of its own: a clerk's
two presses of 保存草稿 saved the record twice, a visitor's two presses of 提交 filed two objections with two
tracking codes."""

import re
import time

import pytest

from accounts.roles import Role
from credit.models import Record
from publicity.models.requests import Objection
from publicity.views import public as public_views
from tests.browser.test_drafts_survive import _open_form_signed_in, _type_record
from tests.browser.test_workspace_flow import _ensure_catalog
from tests.factories import UserFactory, clerk_of
from tests.factories.publicity import PublicEntries

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SLOW = 1.5  # seconds the server takes to answer the first press


def _slowed(function):
    def slow(*args, **kwargs):
        time.sleep(SLOW)
        return function(*args, **kwargs)

    return slow


def _press_twice(page, selector: str) -> None:
    """Press the button ``selector`` names with the mouse, and again while the first press is still being answered.

    What the button reads just after the first press is noted in the tab's sessionStorage (read back with
    ``_label_after_press``): the page is navigating then, and Playwright cannot read it until the next one is shown."""
    page.evaluate(
        """s => window.addEventListener("submit", () => setTimeout(() =>
             sessionStorage.setItem("label-after-press", document.querySelector(s).textContent)))""",
        selector,
    )
    button = page.locator(selector)
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.click(x, y)  # the mouse, not locator.click(): that would wait for the first navigation to finish
    page.wait_for_timeout(300)
    page.mouse.click(x, y)


def _label_after_press(page) -> str:
    return page.evaluate("() => sessionStorage.getItem('label-after-press')")


def test_a_second_press_of_save_saves_the_record_once(live_server, page, monkeypatch):
    from credit.views import records as record_views

    _ensure_catalog()
    clerk_of("zuren", username="clerk_presses")
    page.set_default_timeout(20_000)
    _open_form_signed_in(page, live_server.url, "clerk_presses")
    _type_record(page)
    monkeypatch.setattr(record_views.RecordCreateView, "post", _slowed(record_views.RecordCreateView.post))

    _press_twice(page, "button[name=save]")

    page.wait_for_url(re.compile(r"/workspace/records/\d+/$"))
    page.wait_for_timeout(int(SLOW * 1000) + 500)  # a second request, had one been sent, would be answered by now
    assert Record.objects.count() == 1
    assert _label_after_press(page) == "正在提交…"
    record = Record.objects.get()
    assert page.url.endswith(f"/workspace/records/{record.pk}/")
    assert "已保存为草稿" in page.locator(".messages").inner_text()


def test_a_second_press_of_submit_files_one_objection(live_server, page, monkeypatch):
    _ensure_catalog()
    entry = PublicEntries(UserFactory(username="reviewer_presses", role=Role.REVIEWER)).penalty(2, seq=3)
    monkeypatch.setattr(public_views, "objection_file", _slowed(public_views.objection_file))
    page.set_default_timeout(20_000)
    page.goto(f"{live_server.url}/penalties/{entry.pk}/objection/")
    page.get_by_label("申请人（单位或个人）").fill("南昌市豫章中学")
    page.get_by_label("联系电话或电子邮箱（不公开）").fill("0791-86001234")
    page.get_by_label("申请内容与理由").fill("处罚内容表述有误，应为“给予警告”。")

    _press_twice(page, "main form button[type=submit]")

    page.wait_for_url(re.compile(r"/track/YY[0-9A-Z]{12}/$"))
    page.wait_for_timeout(int(SLOW * 1000) + 500)
    assert Objection.objects.count() == 1
    assert _label_after_press(page) == "正在提交…"
    assert page.url.endswith(f"/track/{Objection.objects.get().tracking_code}/")
