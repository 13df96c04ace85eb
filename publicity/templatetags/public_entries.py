"""``{% entry_card entry section %}``: one public entry as the lists, the search and the organisation pages show it.

Written in Python rather than as an included template: a page shows up to forty entries, and the included template
cost about half a millisecond each (a ``{% url %}`` is ~65 µs, a ``{% translate %}`` ~30 µs, the include itself a
context push and a look-up): the biggest part of an uncached list or search page. Here the labels are translated once
per card and each address is reversed once per page and section, then filled in per entry.
"""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext, gettext_noop

from core.page_urls import reverse_by_pk
from credit.models import SubjectKind
from publicity.selectors import BLACK_LIST, LICENCES

register = template.Library()

# A code the organisation page's pattern accepts and no organisation has: reversed once per page, then replaced.
_CODE = "SENTINEL0CODE0FOR0URLS"


def _page_memo(context) -> dict:
    """What the cards of one page share: reversed addresses, translated labels (``render_context`` lives as long as
    one rendering of the page)."""
    return context.render_context.setdefault("publicity.entry_card", {})


def _org_url(context, code: str) -> str:
    memo = _page_memo(context)
    if "org" not in memo:
        memo["org"] = reverse("publicity:org", args=[_CODE])
    # Reversing quotes the code; ASCII letters and digits need none (the sentinel is of the same kind).
    return (
        memo["org"].replace(_CODE, code, 1)
        if code.isascii() and code.isalnum()
        else reverse("publicity:org", args=[code])
    )


# The labels a card shows, translated once per page (in the language active for it).
_LABELS = {
    "objection": gettext_noop("异议处理中"),
    "id_number": gettext_noop("证件号码"),
    "credit_code": gettext_noop("统一社会信用代码"),
    "licence": gettext_noop("许可决定"),
    "document": gettext_noop("文书号"),
    "decided": gettext_noop("决定日期"),
    "blacklist_document": gettext_noop("认定文书号"),
    "listed_on": gettext_noop("列入日期"),
    "listed_until": gettext_noop("列入截止"),
    "content": gettext_noop("内容"),
}


def _labels(context) -> dict[str, str]:
    memo = _page_memo(context)
    if "labels" not in memo:
        memo["labels"] = {key: gettext(text) for key, text in _LABELS.items()}
    return memo["labels"]


def _day(value) -> str:
    return value.strftime("%Y-%m-%d") if value else ""


@register.simple_tag(takes_context=True)
def entry_card(context, entry, section: str, level: int = 3):
    """``level``: the heading of the entry's name, one below the heading it sits under: 2 on a list page (under the
    page's h1), 3 (the default) on the search and organisation pages (under a section's h2)."""
    if level not in (2, 3):
        raise template.TemplateSyntaxError(f"entry_card: level must be 2 or 3, not {level!r}")
    labels = _labels(context)
    name_id = f"entry-{section}-{entry.pk}"
    objection = (
        format_html(' <span class="status-objection">{}</span>', labels["objection"]) if entry.under_objection else ""
    )
    facts = []
    if entry.public_code:
        code = entry.public_code
        if entry.has_org_page:
            shown = format_html('<a href="{}">{}</a>', _org_url(context, code), code)
        else:
            shown = code
        label = labels["id_number"] if entry.subject_kind == SubjectKind.NATURAL else labels["credit_code"]
        facts.append((label, shown))
    if section == LICENCES:
        facts += [
            (labels["licence"], format_html("{}（{}）", entry.public.xkws, entry.xklb)),
            (labels["document"], entry.document_number),
            (labels["decided"], _day(entry.jdrq)),
        ]
    elif section == BLACK_LIST:
        facts += [
            (labels["blacklist_document"], entry.document_number),
            (labels["listed_on"], _day(entry.listed_on)),
            (labels["listed_until"], _day(entry.end_date)),
        ]
    else:
        if entry.document_number:
            facts.append((labels["document"], entry.document_number))
        facts += [
            (labels["content"], Truncator(entry.content or "").chars(80)),
            (labels["decided"], _day(entry.decision_date)),
        ]
    return format_html(
        '<article class="entry" aria-labelledby="{id}">\n'
        '  <h{level} id="{id}"><a href="{url}">{name}</a>{objection}</h{level}>\n'
        '  <dl class="facts">{facts}</dl>\n'
        "</article>",
        level=level,
        id=name_id,
        url=reverse_by_pk(context, "publicity:detail", entry.pk, section),
        name=entry.subject_name,
        objection=objection,
        facts=format_html_join("", "<div><dt>{}</dt><dd>{}</dd></div>", facts),
    )
