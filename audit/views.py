"""The audit log pages (/workspace/audit/): readable by the audit admin (安全审计员) only.

Every other role, the system and security admins included, gets 403 (三员分立: whoever administers the system must not
read or curate the record of their own actions). Reading is not itself logged — the auditor's page views would drown
the log — but every export is.
"""

from __future__ import annotations

import csv
import json

from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import ListView

from audit.forms import AuditFilterForm
from audit.models import AuditAction, AuditEvent
from audit.selectors import audit_event_list, events_described, iter_events_described, object_type_label
from audit.services import audit_log
from core.access import RoleRequiredMixin
from core.roles import Role

EXPORT_MAX_ROWS = 200_000
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value) -> str:
    """A cell that a spreadsheet will show as text, never evaluate as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_PREFIXES) else text


class AuditorRequiredMixin(RoleRequiredMixin):
    roles = frozenset({Role.AUDITOR})
    permission_denied_message = _("只有安全审计员可以查看审计日志。")


class _FilteredMixin:
    def filter_form(self) -> AuditFilterForm:
        if not hasattr(self, "_form"):
            self._form = AuditFilterForm(self.request.GET or None)
        return self._form

    def filtered(self):
        form = self.filter_form()
        filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
        if form.is_bound and not form.is_valid():
            return AuditEvent.objects.none(), {}
        return audit_event_list(filters=filters), filters


class AuditEventListView(AuditorRequiredMixin, _FilteredMixin, ListView):
    template_name = "audit/event_list.html"
    context_object_name = "events"
    paginate_by = 50

    def get_queryset(self):
        return self.filtered()[0].select_related(None)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        params.pop("page", None)
        context.update(form=self.filter_form(), querystring=params.urlencode())
        # Shown in words: the role's and the object type's Chinese names and the detail as label/value pairs, not
        # codes and a Python dict.
        context["events"] = events_described(context["events"])
        return context


class AuditEventExportView(AuditorRequiredMixin, _FilteredMixin, View):
    """The filtered events as CSV (UTF-8 with BOM so Excel on Chinese Windows opens it); the export is logged."""

    # In words as on the page (角色, 对象类型 and 详情 in Chinese, not codes and a dict), then the detail exactly as
    # recorded, which the hash chain covers, for whoever checks an entry against the database.
    HEADER = [
        "时间",
        "用户名",
        "角色",
        "来源地址",
        "操作",
        "结果",
        "对象类型",
        "对象编号",
        "对象",
        "请求",
        "详情",
        "详情（原始记录）",
    ]

    def get(self, request):
        events, filters = self.filtered()
        count = events.count()
        audit_log(
            request=request,
            action=AuditAction.EXPORT,
            object_type=AuditEvent._meta.label_lower,
            detail={
                "filters": {k: v for k, v in filters.items() if v not in (None, "")},
                "rows": min(count, EXPORT_MAX_ROWS),
            },
        )
        events = events[:EXPORT_MAX_ROWS]

        class Echo:
            def write(self, value):
                return value

        writer = csv.writer(Echo())

        def rows():
            yield "\ufeff" + writer.writerow(self.HEADER)
            for event in iter_events_described(events.iterator(chunk_size=2000)):
                yield writer.writerow(
                    [
                        csv_safe(timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M:%S")),
                        csv_safe(event.username),
                        csv_safe(event.role_label),
                        csv_safe(event.ip),
                        csv_safe(event.get_action_display()),
                        csv_safe(event.get_outcome_display()),
                        csv_safe(object_type_label(event.object_type) if event.object_type else ""),
                        csv_safe(event.object_id),
                        csv_safe(event.object_repr),
                        csv_safe(f"{event.method} {event.path}".strip()),
                        csv_safe("；".join(f"{k}：{v}" if k else v for k, v in event.detail_pairs)),
                        csv_safe(json.dumps(event.detail, ensure_ascii=False, sort_keys=True) if event.detail else ""),
                    ]
                )

        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
        response["Cache-Control"] = "no-store"
        return response
