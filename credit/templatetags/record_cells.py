"""The cells a record's row repeats on the staff lists (review queue, record list, import result): ``{% record_url %}``,
``{% record_status %}``, ``{% timeliness %}``, ``{% subject_name %}``.

Written in Python rather than as included templates: the review queue shows fifty records a page and each row
included two small templates (a context push, a look-up and a render each) and reversed the record's address twice;
those were the larger part of the page's 140 ms at a million records. Here the address is reversed once per page
(``core.page_urls``) and filled in per record.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from core.page_urls import reverse_by_pk

register = template.Library()


@register.simple_tag(takes_context=True)
def record_url(context, pk) -> str:
    """The record's page in the workspace (``credit:record-detail``)."""
    return reverse_by_pk(context, "credit:record-detail", pk)


@register.simple_tag
def record_status(record) -> str:
    return format_html('<span class="status status-{}">{}</span>', record.status, record.get_status_display())


@register.simple_tag
def timeliness(record) -> str:
    """Overdue and not yet reported, reported on time, or late; a dash where neither applies."""
    if record.is_editable:
        if record.is_overdue:
            return format_html(
                '<span class="badge badge-warn" data-timeliness="overdue">{}</span>', gettext("逾期未报")
            )
        return mark_safe('<span class="muted">—</span>')
    if record.submitted_on_time is None:
        return mark_safe('<span class="muted">—</span>')
    if record.submitted_on_time:
        return format_html('<span class="badge badge-ok" data-timeliness="on_time">{}</span>', gettext("按时"))
    return format_html('<span class="badge badge-warn" data-timeliness="late">{}</span>', gettext("逾期"))


@register.simple_tag(takes_context=True)
def subject_name(context, record, entered=None) -> str:
    """The subject's name as the record gives it and, to a reviewer, a badge where the subject is registered under
    another name."""
    known = record.subject.name if record.subject else ""
    shown = format_html("{}", entered or known or "—")
    user = context.get("user")
    if getattr(user, "is_reviewer", False) and record.subject and entered and entered != known:
        badge = gettext("主体名称不同：本记录填写“%(entered)s”，该证件号码或代码已登记为“%(known)s”") % {
            "entered": entered,
            "known": known,
        }
        return format_html('{} <span class="badge badge-warn subject-name-conflict">{}</span>', shown, badge)
    return shown
