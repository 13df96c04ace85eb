"""Every text box, drop-down and text area, public and in the workspace, has an edge a visitor with low vision can see:
3:1 against what it sits on (WCAG 2.1 1.4.11, non-text contrast; axe does not check it). The public search filter's
edge was #d8dde3 on the page's light grey (1.3:1), the public forms' #9aa4ae (2.4:1), the workspace's #b8c2cc (1.9:1):
a box with no placeholder read as blank page."""

import pytest

from accounts.roles import Role
from tests.browser.test_public_column import _ensure_catalog
from tests.browser.test_public_text_size_and_focus import _contrast
from tests.browser.test_workspace_flow import login
from tests.factories import UserFactory, clerk_of
from tests.factories.publicity import PublicEntries

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Each visible field's four border colours and the first opaque background behind it.
_EDGES = """() => [...document.querySelectorAll("input, select, textarea")]
  .filter(el => !["hidden", "checkbox", "radio", "submit", "button", "file"].includes(el.type) && el.offsetParent)
  .map(el => {
    const style = getComputedStyle(el);
    let node = el.parentElement, behind = "rgb(255, 255, 255)";
    for (; node; node = node.parentElement) {
      const bg = getComputedStyle(node).backgroundColor;
      if (bg !== "rgba(0, 0, 0, 0)" && bg !== "transparent") { behind = bg; break; }
    }
    const widths = ["Top", "Right", "Bottom", "Left"].map(s => parseFloat(style["border" + s + "Width"]));
    // A field without a border (the header's search box) shows its edge by its own background.
    const edges = ["Top", "Right", "Bottom", "Left"].map(s => style["border" + s + "Color"]).filter((_, i) => widths[i] > 0);
    return {name: el.name || el.id, behind, edges: edges.length ? edges : [style.backgroundColor]};
  })"""


def _faint(page) -> list[str]:
    fields = page.evaluate(_EDGES)
    assert fields, "no field on the page"
    return [
        f"{f['name']}: {edge} on {f['behind']} {_contrast(edge, f['behind']):.2f}:1"
        for f in fields
        for edge in set(f["edges"])
        if _contrast(edge, f["behind"]) < 3
    ]


def test_public_search_filter_and_request_form_fields_have_visible_edges(live_server, page):
    _ensure_catalog()
    pub = PublicEntries(UserFactory(username="edges_reviewer", role=Role.REVIEWER)).penalty(2, seq=5)
    for path in ("/licences/", f"/penalties/{pub.pk}/objection/"):
        page.goto(f"{live_server.url}{path}")
        assert not _faint(page), path


def test_workspace_record_form_fields_have_visible_edges(live_server, page):
    _ensure_catalog()
    clerk = clerk_of("zuren", username="edges_clerk")
    login(page, live_server.url, clerk.username)
    page.goto(f"{live_server.url}/workspace/items/8/new/")
    assert not _faint(page)
