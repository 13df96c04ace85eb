"""Every project template compiles, shows no text outside Django's translation tags, and declares Simplified Chinese.

The scan reads the template sources (ours, not Django's or the admin's): whatever a visitor can read — element text,
``title``/``placeholder``/``aria-label``/``alt`` attributes and the label of an ``<input type="submit">`` — must come
from ``{% translate %}``/``{% blocktranslate %}`` or from a variable, and no message may be English.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Paginator
from django.template import engines
from django.template.loader import get_template, render_to_string
from django.test import RequestFactory

# Names, formats and standards that stay as they are in Chinese UI text.
ALLOWED_WORDS = {
    "API",
    "Atom",
    "CSV",
    "Cookie",
    "Excel",
    "HTTP",
    "ID",
    "JSON",
    "MB",
    "OpenAPI",
    "PDF",
    "RSS",
    "SHA-256",
    "SHA1",
    "TOTP",
    "URL",
    "XLSX",
}

# Comments, the doctype, and blocks that fill a class attribute (``{% block body_class %}``).
COMMENTS = re.compile(
    r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|{#.*?#}|<!--.*?-->|<!DOCTYPE[^>]*>"
    r"|{%\s*block\s+\w*class\s*%}.*?{%\s*endblock\b[^%]*%}",
    re.S | re.I,
)
BLOCK_TRANSLATE = re.compile(r"{%\s*blocktrans(?:late)?\b[^%]*%}(?P<message>.*?){%\s*endblocktrans(?:late)?\s*%}", re.S)
TRANSLATE = re.compile(r"""{%\s*trans(?:late)?\s+(?P<q>["'])(?P<message>.*?)(?P=q)""", re.S)
UNDERSCORE = re.compile(r"""\b_\((?P<q>["'])(?P<message>.*?)(?P=q)\)""")
TEMPLATE_SYNTAX = re.compile(r"{%.*?%}|{{.*?}}", re.S)
# Content that is code or sample data, not prose: scripts, styles, <pre> and <code>.
RAW_ELEMENTS = re.compile(r"<(script|style|pre|code)\b[^>]*>.*?</\1\s*>", re.S | re.I)
HTML_TAG = re.compile(r"<(?P<name>/?[A-Za-z][A-Za-z0-9-]*)(?P<attrs>[^>]*)>", re.S)
ATTRIBUTE = re.compile(r"""(?P<name>[A-Za-z_:][-A-Za-z0-9_:.]*)\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)')""")
VISIBLE_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt", "summary"}
ENTITY = re.compile(r"&(?:[A-Za-z]+|#\d+|#x[0-9A-Fa-f]+);")
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
# A word of two or more characters, not glued to digits ("2026Q1") and possibly hyphenated ("SHA-256").
WORD = re.compile(r"(?<![A-Za-z0-9_])[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*")


def project_template_dirs() -> list[Path]:
    """The template directories of this project (templates/ and each app's), not those of installed packages."""
    base = Path(settings.BASE_DIR).resolve()
    dirs = []
    for directory in engines["django"].template_dirs:
        path = Path(directory).resolve()
        if path.is_dir() and path.is_relative_to(base) and ".venv" not in path.relative_to(base).parts:
            dirs.append(path)
    return dirs


def project_templates() -> list[tuple[str, Path]]:
    """(template name, file) of every project template."""
    found = []
    for directory in project_template_dirs():
        for path in sorted(directory.rglob("*.html")):
            found.append((path.relative_to(directory).as_posix(), path))
    return found


TEMPLATES = project_templates()


def _english_words(text: str) -> list[str]:
    return [w for w in WORD.findall(text) if len(w) > 1 and w not in ALLOWED_WORDS]


def untranslated_text(source: str) -> list[str]:
    """What a visitor could read in ``source`` that does not come from a translation tag or a variable, plus English
    words inside translated messages; empty when the template is clean."""
    source = COMMENTS.sub(" ", source)
    findings = []
    messages = [m.group("message") for m in BLOCK_TRANSLATE.finditer(source)]
    source = BLOCK_TRANSLATE.sub(" ", source)
    messages += [m.group("message") for m in TRANSLATE.finditer(source)]
    messages += [m.group("message") for m in UNDERSCORE.finditer(source)]
    for message in messages:
        prose = HTML_TAG.sub(" ", RAW_ELEMENTS.sub(" ", TEMPLATE_SYNTAX.sub(" ", message)))
        findings += [f"英文译文: {w}" for w in _english_words(prose)]

    source = RAW_ELEMENTS.sub(" ", TEMPLATE_SYNTAX.sub("", source))
    for tag in HTML_TAG.finditer(source):
        name = tag.group("name").lower()
        attrs = {
            a.group("name").lower(): a.group("dq") or a.group("sq") or "" for a in ATTRIBUTE.finditer(tag["attrs"])
        }
        shown = [value for key, value in attrs.items() if key in VISIBLE_ATTRIBUTES]
        if name == "input" and attrs.get("type", "").lower() in ("submit", "button", "reset"):
            shown.append(attrs.get("value", ""))
        for value in shown:
            value = ENTITY.sub(" ", value)
            findings += [f"属性: {t}" for t in HAN.findall(value) + _english_words(value)]
    text = ENTITY.sub(" ", HTML_TAG.sub(" ", source))
    findings += [f"正文: {t}" for t in HAN.findall(text) + _english_words(text)]
    return findings


def test_the_scan_finds_templates_and_flags_bare_text():
    names = {name for name, _ in TEMPLATES}
    assert {"base.html", "publicity/base.html", "audit/base.html", "registration/base_accounts.html"} <= names
    assert untranslated_text('<p>保存</p><button>{% translate "提交" %}</button>') == ["正文: 保存"]
    assert untranslated_text('<a href="/x">Download</a>') == ["正文: Download"]
    assert untranslated_text("<input placeholder=\"请输入\" aria-label='Name'>") == ["属性: 请输入", "属性: Name"]
    assert untranslated_text('<input type="submit" value="导入">') == ["属性: 导入"]
    assert untranslated_text('{% translate "Save" %}{% blocktranslate %}共 {{ n }} page{% endblocktranslate %}') == [
        "英文译文: page",
        "英文译文: Save",
    ]
    clean = (
        '{% load i18n %}{# 注释 #}<h1 class="title" data-x="abc">{% translate "下载 CSV" %} {{ name }}</h1>'
        '<td{% if n < 0 %} class="bad"{% endif %}>{% blocktranslate %}剩 {{ n }} 个工作日{% endblocktranslate %}</td>'
        '<script>var a = "text";</script><pre>date,kind,name</pre><code>holiday</code> JSON · RSS &rsaquo; 2026Q1'
        '<button type="submit" name="action" value="approve">{% translate "通过" %}</button>'
    )
    assert untranslated_text(clean) == []


@pytest.mark.parametrize(("name", "path"), TEMPLATES, ids=[name for name, _ in TEMPLATES])
def test_template_compiles_and_its_parents_and_includes_exist(name, path):
    get_template(name)
    source = path.read_text(encoding="utf-8")
    for other in re.findall(r"""{%\s*(?:extends|include)\s+["']([^"']+)["']""", source):
        get_template(other)


@pytest.mark.parametrize(("name", "path"), TEMPLATES, ids=[name for name, _ in TEMPLATES])
def test_template_shows_only_translated_chinese_text(name, path):
    assert untranslated_text(path.read_text(encoding="utf-8")) == []


ACCEPTED_LANG: dict[str, set[str]] = {}


@pytest.mark.parametrize(
    "name", [name for name, path in TEMPLATES if "<html" in path.read_text(encoding="utf-8")], ids=str
)
def test_standalone_pages_declare_simplified_chinese(name):
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    html = render_to_string(name, {}, request=request)
    lang = re.search(r"<html\s[^>]*\blang=\"([^\"]*)\"", html)
    assert lang is not None, name
    assert lang.group(1) in ACCEPTED_LANG.get(name, {"zh-hans"})


@pytest.mark.parametrize(
    "name",
    [name for name, path in TEMPLATES if re.search(r"{%\s*for\s+\w+\s+in\s+page\.items", path.read_text("utf-8"))],
    ids=str,
)
def test_keyset_lists_render_a_next_page_link(name):
    source = dict(TEMPLATES)[name].read_text(encoding="utf-8")
    assert "page.next_cursor" in source and "aria-label=\"{% translate '翻页' %}\"" in source


def test_page_links_keep_the_filters_and_replace_the_page():
    page = Paginator(list(range(120)), 50).get_page(2)
    request = RequestFactory().get("/workspace/reporting/batches/", {"status": "failed", "item": "3", "page": "2"})
    html = render_to_string("workspace/_pagination.html", {"page_obj": page, "is_paginated": True}, request=request)
    assert 'href="?status=failed&amp;item=3&amp;page=1"' in html
    assert 'href="?status=failed&amp;item=3&amp;page=3"' in html
    assert "第 2 / 3 页，共 120 条" in html
