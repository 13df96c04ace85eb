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

# Words left on our own pages, by page, each for a reason; anything else on them still fails.
KNOWN = {
    # The CSV's type codes, which the file must contain as written.
    "/admin/credit/calendarday/import-csv/": {"holiday"},
    # Django 5.2's password-state help is one msgid with HTML inside, not yet in the project's catalogue.
    "/password/": {"If", "LDAP", "be", "current", "disabled", "for", "password", "the", "this", "user", "will"},
    "/admin/credit/office/": {"office"},
}

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
    "AMQP",  # the message protocol whose routing the periodic tasks' execution options override
    "OpenAPI",
    "Redis",
    "Celery",
    "Excel",
    "GB",
    "MB",
    "KB",
    "WPS",
    "DOCX",
    "JPG",
    "OFD",
    "GBK",
    "chinesecalendar",  # the holiday library the calendar admin names
    "Control",  # keys: "按住 Control 键或 Mac 上的 Command 键"
    "Command",
    "Mac",
}
# Admin pages of third-party apps (django-axes, django-otp, django-celery-beat), checked by their own test: their labels
# are given in Chinese by the project (config/third_party_apps.py, accounts.admin, reporting.schedule_admin and the
# locale catalogue) and show Chinese words for their boolean columns. On the project's own admin pages Django's boolean
# icons (alt "True"/"False"/"None") are still allowed.
THIRD_PARTY_ADMIN = ("/admin/axes/", "/admin/otp_totp/", "/admin/otp_static/", "/admin/django_celery_beat/")
ADMIN_ICONS = re.compile(r"<img[^>]*alt=\"(?:True|False|None)\"[^>]*>")
DROP = re.compile(
    r"<(script|style|pre|code|textarea|svg)\b[^>]*>.*?</\1\s*>|<!--.*?-->|<!DOCTYPE[^>]*>"
    # Data, not UI: the offices' English names (a column of the office table), the catalogue's English field rules
    # beside the Chinese ones, and the IANA time-zone names of the schedules.
    r"|<t([dh]) class=\"field-(?:name_en|rule|code|type|key)\">.*?</t\2>"
    r"|<select[^>]*name=\"timezone\"[^>]*>.*?</select>"
    # A stored password hash, shown by the admin as its algorithm and fragments of salt and hash.
    r"|<bdi>.*?</bdi>",
    re.S | re.I,
)
TAG = re.compile(r"<(?P<name>/?[A-Za-z][A-Za-z0-9-]*)(?P<attrs>[^>]*)>", re.S)
ATTRIBUTE = re.compile(r"""(?P<name>[A-Za-z_:][-A-Za-z0-9_:.]*)\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)')""")
SHOWN_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt"}
# Values typed into the world, not UI: anything with _ . @ / : or digits glued to letters (user names, files, codes).
DATA_TOKEN = re.compile(
    r"\S*[_@/\\.:=#?&%$][^\s，。、；：）（]*|\S*\d\S*"
    # Tracking codes (查询码: a two-letter prefix and 12 upper-case symbols) may hold no digit at all.
    r"|(?<![A-Za-z0-9])[A-Z]{2}[0-9A-Z]{12}(?![A-Za-z0-9])"
)
WORD = re.compile(r"(?<![A-Za-z0-9_])[A-Za-z][A-Za-z]+(?![A-Za-z0-9_])")


def english_words(page: str) -> list[str]:
    page = DROP.sub(" ", page)
    shown: list[str] = []
    for tag in TAG.finditer(page):
        name = tag.group("name").lower()
        attrs = {
            a.group("name").lower(): a.group("dq") or a.group("sq") or "" for a in ATTRIBUTE.finditer(tag["attrs"])
        }
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
    assert (
        english_words("<td>matrix_clerk_in</td><td>a.xlsx</td><td>CSV · JSON · TOTP</td><script>var x</script>") == []
    )


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


def _findings(world, pages) -> dict[str, list[str]]:  # noqa: F811
    findings = {}
    for role, url in pages:
        response = _client(world, role).get(url)
        _close(response)
        if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
            continue
        page = response.content.decode()
        if url.startswith("/admin/") and not url.startswith(THIRD_PARTY_ADMIN):
            page = ADMIN_ICONS.sub(" ", page)
        words = english_words(page)
        words = [w for w in words if not any(w in known for prefix, known in KNOWN.items() if prefix in url)]
        if words:
            findings[f"{role} {url}"] = sorted(set(words))
    return findings


def _report(findings) -> str:
    return "\n".join(f"{where}: {' '.join(words)}" for where, words in sorted(findings.items()))


@pytest.mark.django_db
def test_every_page_of_every_role_shows_no_english_ui_words(world):  # noqa: F811
    pages = [(role, url) for role, url in _pages(world[1]) if not url.startswith(THIRD_PARTY_ADMIN)]
    assert len(pages) > 150
    findings = _findings(world, pages)
    assert not findings, _report(findings)


@pytest.mark.django_db
def test_third_party_admin_pages_are_chinese(world):  # noqa: F811
    pages = [(role, url) for role, url in _pages(world[1]) if url.startswith(THIRD_PARTY_ADMIN)]
    findings = _findings(world, pages)
    assert not findings, _report(findings)
