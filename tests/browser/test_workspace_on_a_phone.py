"""The workspace on a phone (390 × 844 CSS px): a record's page and the review queue stay within the screen's width.

A record's values were laid out beside a label column as wide as its longest label: item 2's 学校代码／统一社会信用代码
（组织机构代码、工商注册号、税务登记证号） left the values a column of about 30 px (the credit code on six lines, the
dates on five) and the page 614 px wide; item 8's page was 404 px wide, its masked ID number on five lines. The review
queue was 563 px wide: the screen-reader-only header of its actions column escaped the table's scroll box. Screenshots
of each page go to the folder ``NC_SHOTS`` names, when it is set, for a look by eye (none otherwise: a run of the suite
writes nothing outside its own folders and spends no time on them).
"""

import os
from pathlib import Path

import pytest

from accounts.roles import Role
from tests.browser.test_workspace_flow import _ensure_catalog, login
from tests.factories import UserFactory, create_record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
SHOTS = Path(os.environ["NC_SHOTS"]) if os.environ.get("NC_SHOTS") else None

# The value of the labelled entry (dt → dd) whose label contains ``label``: its width, and the lines its text takes.
_VALUE_BOX = """label => {
  const dt = [...document.querySelectorAll("dl.values dt")].find(d => d.textContent.includes(label));
  const dd = dt.nextElementSibling, range = document.createRange();
  range.selectNodeContents(dd);
  const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
  return {width: dd.getBoundingClientRect().width, lines: tops.size, text: dd.textContent.trim(),
          labelRight: dt.getBoundingClientRect().right, valueLeft: dd.getBoundingClientRect().left};
}"""


def _overflow(page) -> int:
    """How many CSS px the document is wider than the screen (0 or less: no sideways scrolling)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def _shoot(page, name: str) -> None:
    if SHOTS is None:
        return
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def reviewing(live_server, page):
    """A reviewer signed in, with a submitted record of item 2 (a school's credit code under the longest label) and
    one of item 8 (a teacher's masked ID number) in the queue."""
    _ensure_catalog()
    reviewer = UserFactory(username="phone_reviewer", role=Role.REVIEWER)
    records = {no: create_record(no, status="submitted") for no in (2, 8)}
    login(page, live_server.url, reviewer.username)
    return page, records


@pytest.mark.parametrize(("no", "label"), [(2, "统一社会信用代码"), (8, "身份证号")])
def test_a_record_page_fits_a_phone_and_its_code_reads_on_one_line(live_server, reviewing, no, label):
    page, records = reviewing
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/workspace/records/{records[no].pk}/")
    _shoot(page, f"record-item{no}-390")
    assert _overflow(page) <= 0, f"item {no}'s record page is {_overflow(page)}px wider than the screen"
    value = page.evaluate(_VALUE_BOX, label)
    assert value["text"], value
    assert value["width"] >= 200, f"the value of {label} is a column {value['width']:.0f}px wide"
    assert value["lines"] == 1, f"{value['text']} wraps over {value['lines']} lines"
    # Every value of the record, dates included, has room: none is squeezed into a narrow column.
    widths = page.evaluate("[...document.querySelectorAll('dl.values dd')].map(d => d.getBoundingClientRect().width)")
    assert min(widths) >= 200, widths

    # On a desktop screen the labels stay beside their values.
    page.set_viewport_size(DESKTOP)
    _shoot(page, f"record-item{no}-1366")
    value = page.evaluate(_VALUE_BOX, label)
    assert value["lines"] == 1 and value["valueLeft"] >= value["labelRight"], value
    assert _overflow(page) <= 0


def test_the_review_queue_fits_a_phone(live_server, reviewing):
    page, _ = reviewing
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/workspace/review/")
    assert page.locator("tr[data-record]").count() == 2
    _shoot(page, "review-queue-390")
    assert _overflow(page) <= 0, f"the review queue is {_overflow(page)}px wider than the screen"
    # The table scrolls inside its box instead, and the hidden header labels are still read out.
    scroll = page.locator(".table-scroll").first
    assert scroll.evaluate("box => box.scrollWidth > box.clientWidth")
    assert page.locator("table.records").get_by_role("columnheader", name="操作").count() == 1

    page.set_viewport_size(DESKTOP)
    _shoot(page, "review-queue-1366")
    assert _overflow(page) <= 0
