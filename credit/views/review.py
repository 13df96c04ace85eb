"""The reviewer queue across offices: submissions and change requests, decided one by one or in bulk."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_filters.views import FilterView

from credit import selectors
from credit.forms import ReasonForm
from credit.models import Record, RecordStatus
from credit.services import records as services
from credit.views.mixins import RecordFilterListMixin, ReviewerMixin


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
        ctx["changes"] = selectors.pending_changes(self.request.user)
        ctx["reason_form"] = ReasonForm()
        return ctx

    def post(self, request, *args, **kwargs):
        back = reverse("credit:review") + (f"?{request.GET.urlencode()}" if request.GET else "")
        action = request.POST.get("action")
        only = request.POST.get("approve_one")  # the row's own "通过" button
        if only:
            action = "approve"
        ids = [only] if only else request.POST.getlist("records")
        ids = [int(i) for i in ids if str(i).isdigit()]
        if action not in {"approve", "return"} or not ids:
            messages.error(request, _("请先勾选要处理的记录，再选择“通过”或“退回”。"))
            return redirect(back)
        form = ReasonForm(request.POST)
        form.is_valid()
        records = list(Record.objects.restrict(request.user, "review").filter(pk__in=ids).select_related("item"))
        try:
            done, failed = services.records_decide(
                records=records, user=request.user, approve=action == "approve", reason=form.cleaned_data["reason"]
            )
        except services.RecordError as exc:
            messages.error(request, str(exc))
            return redirect(back)
        if done:
            text = _("已通过 %(n)d 条记录。") if action == "approve" else _("已退回 %(n)d 条记录。")
            messages.success(request, text % {"n": len(done)})
        for pk, message in failed.items():
            messages.error(request, _("记录 #%(id)s：%(msg)s") % {"id": pk, "msg": message})
        missing = set(ids) - {r.pk for r in records}
        for pk in sorted(missing):
            messages.error(request, _("记录 #%(id)s 不存在。") % {"id": pk})
        return redirect(back)
