"""Every page each role can open, rendered, shows no untranslated English UI word — the admin included.

The pages are those of the permission matrix (``tests/test_permission_matrix.py``): every row whose GET answers 200
for the role, and every per-model admin URL the system or security admin may open. What a reader sees is checked —
element text, ``title``/``placeholder``/``aria-label``/``alt`` and the labels of buttons and select options — after
dropping scripts, styles, ``<pre>``/``<code>`` and the data of the world itself (user names, file names, e-mail
addresses and URLs, which are the values typed in, not the UI). Proper nouns and codes are allowed by name.
"""

from __future__ import annotations

import html
import re

import pytest

from tests.test_permission_matrix import (
    ADMIN_ROWS,
    ROLES,
    ROWS,
    _admin_model_routes,
    _client,
    _close,
    _fill,
    admin_expectations,
    world,  # noqa: F401 - the matrix's shared world, reused as a fixture
)
from tests.test_templates_i18n import ALLOWED_WORDS

# Proper nouns, product names, standards and codes that stay as they are in a Chinese page.
ALLOWED = ALLOWED_WORDS | {
    "Chart",  # Chart.js (the dashboard's chart library) in its attribution
    "Django",
    "PNG",
    "QR",
    "SVG",
    "TOTP",
    "HOTP",
    "OTP",
    "UTC",
    "Swagger",
    "UI",
    "IP",
    "OpenAPI",
    "Redis",
    "Celery",
    "Excel",
    "GB",
    "MB",
    "KB",
    "WPS",
}
DROP = re.compile(r"<(script|style|pre|code|textarea|svg)\b[^>]*>.*?</\1\s*>|<!--.*?-->", re.S | re.I)
TAG = re.compile(r"<(?P<name>/?[A-Za-z][A-Za-z0-9-]*)(?P<attrs>[^>]*)>", re.S)
ATTRIBUTE = re.compile(r"""(?P<name>[A-Za-z_:][-A-Za-z0-9_:.]*)\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)')""")
SHOWN_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt"}
# Values typed into the world, not UI: anything with _ . @ / : or digits glued to letters (user names, files, codes).
DATA_TOKEN = re.compile(r"\S*[_@/\\.:=#?&%$][^\s，。、；：）（]*|\S*\d\S*")
WORD = re.compile(r"(?<![A-Za-z0-9_])[A-Za-z][A-Za-z]+(?![A-Za-z0-9_])")


def english_words(page: str) -> list[str]:
    page = DROP.sub(" ", page)
    shown: list[str] = []
    for tag in TAG.finditer(page):
        name = tag.group("name").lower()
        attrs = {a.group("name").lower(): a.group("dq") or a.group("sq") or "" for a in ATTRIBUTE.finditer(tag["attrs"])}
        shown += [v for k, v in attrs.items() if k in SHOWN_ATTRIBUTES]
        if name == "input" and attrs.get("type", "").lower() in ("submit", "button", "reset"):
            shown.append(attrs.get("value", ""))
    shown.append(TAG.sub(" ", page))
    words = []
    for text in shown:
        text = DATA_TOKEN.sub(" ", html.unescape(text))
        words += [w for w in WORD.findall(text) if w not in ALLOWED and w.upper() not in ALLOWED]
    return words


def test_the_scan_flags_english_and_keeps_data():
    assert english_words("<p>Choose all</p>") == ["Choose", "all"]
    assert english_words('<input type="submit" value="Save"><a title="Delete">删除</a>') == ["Save", "Delete"]
    assert english_words("<td>matrix_clerk_in</td><td>a.xlsx</td><td>CSV · JSON · TOTP</td><script>var x</script>") == []


def _pages(world_objects) -> list[tuple[str, str]]:
    """(role, URL) of every HTML page the matrix opens with 200 for that role."""
    pages = []
    for row in ROWS + ADMIN_ROWS:
        if not row.get or row.route.startswith("api/"):
            continue
        for role in ROLES:
            if row.get[role] == 200:
                pages.append((role, _fill(row.url, world_objects)))
    for route in _admin_model_routes():
        url, expected = admin_expectations(route, world_objects)
        pages += [(role, url) for role in ("sysadmin", "secadmin") if expected[role] == 200]
    return pages


@pytest.mark.django_db
def test_every_page_of_every_role_shows_no_english_ui_words(world):  # noqa: F811
    _sessions, objects = world
    findings = {}
    for role, url in _pages(objects):
        response = _client(world, role).get(url)
        _close(response)
        if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
            continue
        words = english_words(response.content.decode())
        import os
        if os.environ.get("DUMP_PAGES"):
            with open(os.path.join(os.environ["DUMP_PAGES"], f"{len(findings)}_{role}.html"), "w") as f:
                f.write(response.content.decode())
        if words:
            findings[f"{role} {url}"] = sorted(set(words))
    assert not findings, "\n".join(f"{where}: {' '.join(words)}" for where, words in sorted(findings.items()))
