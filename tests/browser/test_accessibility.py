"""Accessibility of every public and workspace page, checked by axe-core in real Chromium (WCAG 2.1 AA).

The demo data set is loaded, then each visitor kind (an anonymous visitor, a clerk, a reviewer) crawls the site from
its home page, following the same-site links it is shown (downloads, feeds, sign-out and the audited reveal left
out), and axe-core runs on every page reached: the anonymous visitor's crawl covers the public column, the clerk's and
the reviewer's the workspace (and the column's home page signed in). A serious or critical violation on any page fails the test, with the
page, the rule and the offending elements. axe-core is vendored (tests/browser/vendor/axe-core, MPL-2.0): no
network. Pages of one shape (``/records/12/`` and ``/records/13/``, one office's page and another's) are checked twice
at most, a list with any filter, sort or page cursor once.
"""

from __future__ import annotations

import re
from collections import deque
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.management import call_command
from playwright.sync_api import Error as PlaywrightError

from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    # Only the violations are read: axe skips collecting the passes and the incomplete results (a third of its time).
    "resultTypes": ["violations"],
}
BLOCKING = {"serious", "critical"}

# Not pages: files, feeds, sign-out and actions; the reveal of full ID numbers is an audited action, not a page.
SKIP = re.compile(
    r"(\.(csv|xlsx|json|xml|pdf|rss|atom|svg|png|ico)$|/download|/export|/feed|/rss|/atom|/logout|/admin/|/api/"
    r"|/static/|/media/|[?&]reveal=|[?&]format=|/templates?/)"
)
MAX_PER_SHAPE = 2
MAX_PAGES = 90
# Pages every visitor's crawl checks, queued right after its start page whatever the links (a page added late is not
# left to the page budget): the column's statistics page with its chart and wide tables.
ALWAYS_CHECKED = ["/statistics/"]


def _shape(path: str, offices: set[str]) -> str:
    """The page's template, roughly: numbers, tracking and credit codes and office codes stand for any of their kind."""
    path = re.sub(r"/(YY|SQ|XF)[0-9A-Z]{6,}/", "/CODE/", path)
    path = re.sub(r"\d+", "N", re.sub(r"/org/[0-9A-Z]{18}/", "/org/CODE/", path))
    return "/".join("OFFICE" if part in offices else part for part in path.split("/"))


def _crawl(page, base: str, start: str, *, staff: bool) -> tuple[list[str], list[str]]:
    """Visit same-site pages reachable from ``start``; return (pages checked, violation lines). A ``staff`` crawl
    stays in the workspace."""
    from credit.models import Office

    offices = set(Office.objects.values_list("code", flat=True))
    seen_shapes: dict[str, int] = {}
    visited: set[str] = set()
    queue = deque([start, *([] if staff else [base + path for path in ALWAYS_CHECKED])])
    checked: list[str] = []
    problems: list[str] = []
    while queue and len(checked) < MAX_PAGES:
        url = queue.popleft()
        parts = urlsplit(url)
        key = parts.path + ("?" + parts.query if parts.query else "")
        if key in visited or SKIP.search(key):
            continue
        visited.add(key)
        if staff and not (parts.path.startswith("/workspace/") or parts.path == "/"):
            continue  # the public column is the visitor's crawl; a signed-in crawl checks its home page only
        # A list with any filter, sort or page cursor is the same template as with another: checked once.
        shape = _shape(parts.path, offices) + ("?" if parts.query else "")
        if seen_shapes.get(shape, 0) >= (MAX_PER_SHAPE if not parts.query else 1):
            continue
        try:
            response = page.goto(url)
        except PlaywrightError as exc:  # a link to a file the crawl did not recognise by its address
            if "Download is starting" in str(exc):
                continue
            raise
        if response is None or response.status != 200 or "text/html" not in response.headers.get("content-type", ""):
            continue
        seen_shapes[shape] = seen_shapes.get(shape, 0) + 1
        checked.append(key)
        result = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
        for violation in result["violations"]:
            if violation["impact"] in BLOCKING:
                targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:3])
                problems.append(f"{key}: [{violation['impact']}] {violation['id']} — {violation['help']} — {targets}")
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            href = urldefrag(href)[0]
            if href.startswith(base):
                queue.append(href)
    return checked, problems


def _sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


@pytest.mark.parametrize(
    "username",
    [
        pytest.param(None, id="visitor", marks=pytest.mark.slow(9)),
        pytest.param("clerk_zuren", id="clerk", marks=pytest.mark.slow(14)),
        pytest.param("reviewer", id="reviewer", marks=pytest.mark.slow(17)),
    ],
)
def test_public_and_workspace_pages_have_no_serious_accessibility_violations(live_server, browser, username):
    call_command("load_demo", password=PASSWORD, verbosity=0)
    base = live_server.url
    who = username or "anonymous"
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", bypass_csp=True)
    try:
        context.add_init_script(AXE)  # in every document the crawl opens, compiled once and cached by V8
        page = context.new_page()
        page.set_default_timeout(30_000)
        start = f"{base}/"
        if username:
            _sign_in(page, base, username)
            start = f"{base}/workspace/"
        checked, problems = _crawl(page, base, start, staff=bool(username))
    finally:
        context.close()
    print(f"axe-core crawl, {who}: {len(checked)} pages")
    assert len(checked) >= 10, f"the crawl reached too few pages for {who}: {checked}"
    assert username or set(ALWAYS_CHECKED) <= set(checked), f"the crawl missed {ALWAYS_CHECKED}"
    assert not problems, f"serious or critical accessibility violations ({who}):\n" + "\n".join(problems)
