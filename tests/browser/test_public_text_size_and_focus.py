"""The public column in real Chromium as an older visitor sees it: in 大字模式 (and in normal mode) what they type, the
chart they read and the keyboard focus they follow all keep to the page's text size and stay visible."""

import pytest

from tests.browser.test_public_column import _ensure_catalog

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _px(page, selector: str) -> float:
    return page.evaluate(f"() => parseFloat(getComputedStyle(document.querySelector({selector!r})).fontSize)")


def _large_text(page, live_server) -> None:
    page.context.add_cookies([{"name": "nc_text_size", "value": "large", "url": live_server.url}])


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large-text"])
def test_search_boxes_are_set_in_the_pages_text_size(live_server, page, large):
    _ensure_catalog()
    if large:
        _large_text(page, live_server)
    page.goto(f"{live_server.url}/licences/")
    body = _px(page, "body")
    assert body == (20 if large else 16)
    # Below 16 px iOS zooms the page on focus, and in 大字模式 a visitor would type in smaller letters than they read.
    assert _px(page, "#site-q") == body
    assert _px(page, "#list-q") == body


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large-text"])
def test_statistics_chart_labels_are_set_in_the_pages_text_size(live_server, page, large):
    _ensure_catalog()
    if large:
        _large_text(page, live_server)
    page.goto(f"{live_server.url}/statistics/")
    page.wait_for_function("() => window.statisticsChart !== undefined")
    body = _px(page, "body")
    # The axis labels and the legend as Chart.js drew them (its default is 12 px); a legend item is as tall as its text.
    sizes = page.evaluate(
        """() => {
          const chart = window.statisticsChart;
          return [chart.scales.x._resolveTickFontOptions(0).size, chart.scales.y._resolveTickFontOptions(0).size,
                  chart.legend.legendHitBoxes[0].height];
        }"""
    )
    assert sizes == [body, body, body]


_FOCUS_COLOURS = """(selector) => {
  const el = document.querySelector(selector);
  el.focus();
  const style = getComputedStyle(el);
  let node = el.parentElement, behind = "rgb(255, 255, 255)";
  for (; node; node = node.parentElement) {
    const bg = getComputedStyle(node).backgroundColor;
    if (bg !== "rgba(0, 0, 0, 0)" && bg !== "transparent") { behind = bg; break; }
  }
  const colours = [];
  if (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2) colours.push(style.outlineColor);
  for (const m of style.boxShadow.matchAll(/rgba?\\([^)]*\\)/g)) colours.push(m[0]);
  return {behind, colours};
}"""


def _luminance(rgb: str) -> float:
    channels = [int(float(c)) / 255 for c in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@pytest.mark.parametrize(
    "selector",
    [
        "#site-q",  # on the red header
        ".text-size button",  # on the red header
        ".site-nav a",  # on the darker red of the section bar
        "#list-q",  # in the content, on the page's light grey
        ".filter a.download",  # a link in the content
        ".filter button",
    ],
)
def test_keyboard_focus_stands_out_on_the_red_header_and_the_light_content(live_server, page, selector):
    _ensure_catalog()
    page.goto(f"{live_server.url}/licences/")
    found = page.evaluate(_FOCUS_COLOURS, selector)
    # WCAG 1.4.11: the focus indicator needs 3:1 against what it sits on (the old #ffbf47 on white was 1.6:1).
    best = max((_contrast(colour, found["behind"]) for colour in found["colours"]), default=0)
    assert best >= 3, f"{selector}: focus {found['colours']} on {found['behind']}: {best:.2f}:1"
