"""The reviewer's decisions that publish: approving a record from its page (with the penalty's publication) and the
review queue across offices (submissions and change requests, decided one by one or in bulk).

They are credit's workspace pages (served at credit's URLs, ``credit:record-approve`` and ``credit:review``: see
``publicity/review_urls.py``) but approving publishes, so they live here, above credit.
"""

import re

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.views import View
from django_filters.views import FilterView

from credit import selectors
from credit.forms import ReasonForm
from credit.guards import after_refusal
from credit.models import Record, RecordStatus
from credit.panels import record_badges
from credit.services import records as services
from credit.views.mixins import RecordFilterListMixin, ReviewerMixin, reason_errors, redirect_back
from credit.views.records import record_detail_context
from publicity.forms import ApproveForm, PublishForm
from publicity.services.approvals import Approval, record_approve_and_publish, records_approve_and_publish
from publicity.services.publications import PENALTY_ITEMS


def _publication_link(record_id: int) -> str:
    return reverse("publicity-workspace:publish", args=[record_id])


def approval_messages(request, approval: Approval) -> None:
    """Tell the reviewer what approving did: approved, published (until when), or what publication still needs."""
    record = approval.record
    messages.success(request, _("记录 #%(id)s 已审核通过。") % {"id": record.pk})
    if approval.published:
        messages.success(
            request,
            _("已同时在信用信息专栏公示（行政处罚），公示截止日期 %(end)s。")
            % {"end": approval.publication.publicity_end.isoformat()},
        )
    elif approval.publication_requested:
        messages.warning(
            request,
            format_html(
                '{} {} <a href="{}">{}</a>',
                _("公示信息不完整，该记录尚未公示：%(missing)s") % {"missing": "；".join(approval.publication_missing)},
                _("请补充后在公示管理中公示："),
                _publication_link(record.pk),
                _("公示管理"),
            ),
        )
    elif record.item.no in PENALTY_ITEMS:
        messages.info(
            request,
            format_html(
                '{} <a href="{}">{}</a>',
                _("未同时公示；如需公示，可稍后在公示管理中发布："),
                _publication_link(record.pk),
                _("公示管理"),
            ),
        )
    if approval.red_list:
        messages.success(
            request,
            _("该记录已列入红名单，在信用信息专栏公示至 %(end)s。") % {"end": record.validity_end.isoformat()},
        )


class RecordApproveView(ReviewerMixin, View):
    """审核通过; for a penalty the reviewer confirms publication (同时公示) with the national columns it needs."""

    http_method_names = ["post"]
    template_name = "workspace/record_detail.html"

    def check_scope(self, request, pk, **kwargs):
        self.record = selectors.typed_record_for(request.user, pk)

    def post(self, request, pk):
        form = ApproveForm(request.POST)
        if not form.is_valid():
            # Nothing is approved while the publication data is malformed: the page shows why, under each field.
            messages.error(request, _("审核未执行：请更正公示信息中标出的错误。"))
            context = record_detail_context(request, self.record, panels_given={"publicity-approve": {"form": form}})
            return render(request, self.template_name, context)
        try:
            approval = record_approve_and_publish(
                record=self.record,
                user=request.user,
                publish=form.wants_publication,
                publication=form.publication_values(),
                # The reasoned override of an approval guard (the credit check panel's field, credit.guards).
                override_reason=request.POST.get("credit_check_override", ""),
                # The version the page showed: a record withdrawn, changed and submitted again meanwhile is not
                # approved unseen.
                version=request.POST.get("version") or None,
            )
        except services.RecordError as exc:
            after_refusal(exc, user=request.user, request=request)
            messages.error(request, str(exc))
        else:
            approval_messages(request, approval)
        return redirect_back(request, reverse("credit:record-detail", args=[pk]))


class ReviewQueueView(ReviewerMixin, RecordFilterListMixin, FilterView):
    """GET: submitted records (filterable) with timeliness, and pending changes. POST: approve / return the ticked
    records (or the one whose row button was pressed) with the reason given."""

    template_name = "workspace/review_queue.html"
    paginate_by = 50

    def get_queryset(self):
        return (
            selectors.record_list(self.request.user)
            .filter(status=RecordStatus.SUBMITTED)
            .order_by("due_date", "submitted_at", "id")
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        # The change requests page on their own (``changes_page``), so the record list's pages stay as they are.
        changes = Paginator(selectors.pending_changes(self.request.user), self.paginate_by)
        ctx["changes_page"] = changes.get_page(self.request.GET.get("changes_page"))
        ctx["changes"] = ctx["changes_page"].object_list
        ctx["reason_form"] = ReasonForm()
        # Each row shows the name as entered, with a badge when it differs from the subject's registered name.
        records = record_badges(self.request, selectors.with_entered_subject_names(ctx["object_list"]))
        ctx["records"] = ctx["object_list"] = records
        return ctx

    def post(self, request, *args, **kwargs):
        back = reverse("credit:review") + (f"?{request.GET.urlencode()}" if request.GET else "")
        action = request.POST.get("action")
        only = request.POST.get("approve_one")  # the row's own "通过" button
        if only:
            action = "approve"
        ids = record_ids([only] if only else request.POST.getlist("records"))
        if action not in {"approve", "return"} or not ids:
            messages.error(request, _("请先勾选要处理的记录，再选择“通过”或“退回”。"))
            return redirect(back)
        form = ReasonForm(request.POST)
        if not form.is_valid():
            reason_errors(request, form)
            return redirect(back)
        if action == "approve" and form.cleaned_data["reason"]:
            # A return reason means the reviewer meant to return: an approval arriving with one (Enter in the reason
            # box on a page without the template's guard, or a row's 通过 pressed after typing it) approves nothing,
            # rather than publishing red-list records and dropping the reason.
            messages.error(
                request,
                _(
                    "退回理由：填写了退回理由，不能通过，未作任何处理。要退回勾选的记录，请按“批量退回”；"
                    "要通过，请先清空退回理由。"
                ),
            )
            return redirect(back)
        records = list(Record.objects.restrict(request.user, "review").filter(pk__in=ids).select_related("item"))
        # Each row's version as the list showed it (``version-<id>``): a row changed since is not decided unseen.
        versions = {pk: request.POST.get(f"version-{pk}") or None for pk in ids}
        try:
            if action == "approve":
                approvals, failed = records_approve_and_publish(records=records, user=request.user, versions=versions)
            else:
                done, failed = services.records_decide(
                    records=records,
                    user=request.user,
                    approve=False,
                    reason=form.cleaned_data["reason"],
                    versions=versions,
                )
        except services.RecordError as exc:
            messages.error(request, str(exc))
            return redirect(back)
        if action == "approve":
            bulk_approval_messages(request, approvals)
        elif done:
            messages.success(request, _("已退回 %(n)d 条记录。") % {"n": len(done)})
        for pk, message in failed.items():
            messages.error(request, _("记录 #%(id)s：%(msg)s") % {"id": pk, "msg": message})
        missing = set(ids) - {r.pk for r in records}
        for pk in sorted(missing):
            messages.error(request, _("记录 #%(id)s 不存在。") % {"id": pk})
        return redirect(back)


# A record id as a form sends it: ASCII digits only (``"²".isdigit()`` is true, ``int("²")`` fails), and small enough
# for the database's bigint (a longer number would overflow the query rather than find nothing).
_RECORD_ID = re.compile(r"[0-9]{1,18}")


def record_ids(values) -> list[int]:
    """The well-formed record ids among ``values``; anything else is ignored (and reported as nothing ticked)."""
    return [int(value) for value in values if isinstance(value, str) and _RECORD_ID.fullmatch(value.strip())]


def bulk_approval_messages(request, approvals: list[Approval]) -> None:
    """How many were approved, how many penalties were published with them, and which still need completing."""
    if not approvals:
        return
    messages.success(request, _("已通过 %(n)d 条记录。") % {"n": len(approvals)})
    published = [a for a in approvals if a.published]
    if published:
        messages.success(request, _("其中 %(n)d 条行政处罚已同时公示。") % {"n": len(published)})
    incomplete = [a for a in approvals if a.publication_requested and not a.published]
    if incomplete:
        items = format_html_join(
            "；",
            '<a href="{}">#{}</a>（{}）',
            (
                (
                    reverse("publicity-workspace:publish", args=[a.record.pk]),
                    a.record.pk,
                    "、".join(missing_labels(a.publication_errors)),
                )
                for a in incomplete
            ),
        )
        messages.warning(
            request,
            format_html(
                "{}{}",
                _("%(n)d 条行政处罚的公示信息不完整，已通过但尚未公示，请在公示管理中补充后公示：")
                % {"n": len(incomplete)},
                items,
            ),
        )
    red = [a for a in approvals if a.red_list]
    if red:
        messages.success(request, _("%(n)d 条守信记录已列入红名单。") % {"n": len(red)})


def missing_labels(errors: dict[str, list[str]]) -> list[str]:
    """Short names of what a publication lacks: the field's name where the publication form has it, else the message."""
    out: list[str] = []
    for key, msgs in errors.items():
        field = PublishForm.base_fields.get(key)
        out.extend([str(field.label)] if field is not None else msgs)
    return out
