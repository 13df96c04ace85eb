"""Record lists, the record page, entry and edit forms (one generated form per item) and lifecycle actions."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django_filters.views import FilterView

from core.masking import mask_free_text
from credit import selectors
from credit.fields import PERSONAL_KEYS
from credit.forms import ChangeNoteForm, ReasonForm, form_for_item
from credit.models import ChangeStatus, Item, RecordChange, RecordStatus
from credit.panels import record_panels
from credit.personal_data import personal_data_shown
from credit.registry import model_for_item
from credit.services import records as services
from credit.validators import mask_cn_id
from credit.views.mixins import (
    ClerkMixin,
    RecordFilterListMixin,
    ReviewerMixin,
    WorkspaceMixin,
    reason_errors,
    redirect_back,
)


class RecordListView(WorkspaceMixin, RecordFilterListMixin, FilterView):
    """The records in the user's scope, filtered, sorted and paginated (queries do not grow with the rows)."""

    template_name = "workspace/record_list.html"
    paginate_by = 25

    def get_queryset(self):
        return selectors.record_list(self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        # The shared subject's name may be another office's; each row shows the name its record was entered with.
        ctx["records"] = selectors.with_entered_subject_names(ctx["records"])
        return ctx


def _form_context(request, item: Item, form, *, record=None, offices=None, change_form=None) -> dict:
    model = model_for_item(item.no)
    return {
        "item": item,
        "form": form,
        "record": record,
        "offices": offices or [],
        "selected_office": request.POST.get("office", ""),
        "change_form": change_form,
        "due": {
            "url": reverse("api-due-date"),
            "days": item.deadline_days or 7,
            "semiannual": json.dumps(settings.SEMIANNUAL_DUE_DATES if item.deadline_kind == "semiannual" else []),
            "natural": model.BUSINESS_DATE_FIELD or "",
        },
    }


class RecordCreateView(ClerkMixin, View):
    """New record of item ``no``: the item's generated form; save as draft or submit. POST-redirect-GET."""

    template_name = "workspace/record_form.html"

    def check_scope(self, request, no, **kwargs):
        self.item = get_object_or_404(Item.objects.prefetch_related("offices", "fields"), no=no)

    def _offices(self):
        offices = services.clerk_offices_for(self.request.user, self.item)
        if not offices:
            raise PermissionDenied(_("您所在的处室不负责报送“%(item)s”。") % {"item": self.item.name})
        return offices

    def get(self, request, no):
        offices = self._offices()
        form = form_for_item(no)()
        return render(request, self.template_name, _form_context(request, self.item, form, offices=offices))

    def post(self, request, no):
        offices = self._offices()
        try:
            record = services.record_create(
                item=self.item, user=request.user, data=request.POST, submit="submit" in request.POST
            )
        except services.RecordError as exc:
            warning = exc.errors.pop("confirm_subject_name", None)
            form = exc.add_to(exc.form or form_for_item(self.item.no)(data=request.POST))
            if "office" in exc.errors:
                messages.error(request, " ".join(exc.errors["office"]))
            ctx = _form_context(request, self.item, form, offices=offices)
            # The entered name differs from the subject's registered one: the form asks for 确认主体名称不同.
            ctx["subject_name_warning"] = warning
            ctx["duplicate_of"] = getattr(exc, "record_id", None)  # the record this one repeats, linked
            return render(request, self.template_name, ctx)
        if record.status == RecordStatus.SUBMITTED:
            messages.success(request, _("记录 #%(id)s 已提交，等待审核。") % {"id": record.pk})
        else:
            messages.success(request, _("记录 #%(id)s 已保存为草稿。") % {"id": record.pk})
        return redirect("credit:record-detail", pk=record.pk)


class RecordEditView(ClerkMixin, View):
    """Edit a draft or returned record (and resubmit it); for an approved record, propose a change for review."""

    template_name = "workspace/record_form.html"

    def check_scope(self, request, pk, **kwargs):
        self.record = selectors.typed_record_for(request.user, pk)

    def _initial_form(self):
        record = self.record
        form = form_for_item(record.item.no)(instance=record)
        natural = record.BUSINESS_DATE_FIELD
        if natural and getattr(record, natural) == record.business_date:
            form.initial["business_date"] = None  # keeps following the natural date field
        return form

    def get(self, request, pk):
        record = self.record
        if not (record.is_editable or record.status == RecordStatus.APPROVED):
            messages.error(
                request, _("记录当前状态为“%(status)s”，不能修改。") % {"status": record.get_status_display()}
            )
            return redirect("credit:record-detail", pk=pk)
        change_form = ChangeNoteForm() if record.status == RecordStatus.APPROVED else None
        ctx = _form_context(request, record.item, self._initial_form(), record=record, change_form=change_form)
        # The edit form puts the full ID numbers into its inputs: a showing of personal data like the record page's
        # "显示完整号码", audited the same way (field names only, never the values).
        personal = [key for key in record.field_keys() if key in PERSONAL_KEYS and getattr(record, key, None)]
        if personal:
            personal_data_shown(request, fields=personal, obj=record, detail={"via": "edit_form"})
        return render(request, self.template_name, ctx)

    def post(self, request, pk):
        record = self.record
        try:
            if record.status == RecordStatus.APPROVED:
                note = ChangeNoteForm(request.POST)
                note.is_valid()
                services.record_change_propose(
                    record=record, user=request.user, data=request.POST, note=note.cleaned_data.get("note", "")
                )
                messages.success(request, _("变更申请已提交审核；审核通过前，原记录继续有效。"))
                return redirect("credit:record-detail", pk=pk)
            record = services.record_update(
                record=record, user=request.user, data=request.POST, submit="submit" in request.POST
            )
        except services.RecordVersionConflict as exc:
            # What the user typed comes back in the form (it was lost on a redirect to the record page), with the
            # current version in it (``self.record`` was read for this request): saving again is their decision,
            # taken knowing the record changed. Not when the record has left the editable states meanwhile.
            if not record.is_editable:
                messages.error(request, str(exc))
                return redirect("credit:record-detail", pk=pk)
            form = form_for_item(record.item.no)(data=request.POST, instance=record)
            form.is_valid()
            form.add_error(
                None,
                _(
                    "%(conflict)s您输入的内容仍在下面；请先在“记录详情”中查看最新内容并核对，"
                    "再次保存即以下面的内容为准。"
                )
                % {"conflict": str(exc)},
            )
            return self._form_again(request, record, form, status=409)
        except services.RecordStateError as exc:
            messages.error(request, str(exc))
            return redirect("credit:record-detail", pk=pk)
        except services.RecordError as exc:
            warning = exc.errors.pop("confirm_subject_name", None)
            form = exc.add_to(exc.form or form_for_item(record.item.no)(data=request.POST, instance=record))
            return self._form_again(
                request, record, form, subject_name_warning=warning, duplicate_of=getattr(exc, "record_id", None)
            )
        if record.status == RecordStatus.SUBMITTED:
            messages.success(request, _("记录 #%(id)s 已修改并提交审核。") % {"id": record.pk})
        else:
            messages.success(request, _("记录 #%(id)s 已保存。") % {"id": record.pk})
        return redirect("credit:record-detail", pk=pk)

    def _form_again(self, request, record, form, *, status: int = 200, **extra):
        """The edit page shown again with ``form`` (what was typed, and why it was not saved)."""
        change_form = ChangeNoteForm(request.POST) if record.status == RecordStatus.APPROVED else None
        ctx = _form_context(request, record.item, form, record=record, change_form=change_form)
        return render(request, self.template_name, {**ctx, **extra}, status=status)


def record_detail_context(request, record, *, panels_given: dict | None = None) -> dict:
    """What the record page shows, with the panels the apps above credit add (``credit.panels``). The approve view
    re-renders the page with it when its form has errors (``panels_given``: extra arguments per panel)."""
    # ID numbers, and any ID or phone number quoted in the other fields (free text, a contact phone), are masked
    # unless the user asks to see them; each showing is audited (等保2.0 个人信息保护).
    personal = [key for key in record.field_keys() if key in PERSONAL_KEYS]
    personal += [
        key
        for key in record.field_keys()
        if key not in PERSONAL_KEYS
        and isinstance(value := getattr(record, key), str)
        and mask_free_text(value) != value
    ]
    reveal = bool(personal) and request.GET.get("reveal") == "1"
    if reveal:
        personal_data_shown(request, fields=personal, obj=record)

    def shown(key, value):
        if value in (None, ""):
            return "—"
        if reveal:
            return value
        if key in PERSONAL_KEYS:
            return mask_cn_id(str(value))
        return mask_free_text(value) if isinstance(value, str) else value

    fields = [
        (record._meta.get_field(key).verbose_name, shown(key, getattr(record, key))) for key in record.record_keys()
    ]
    changes = list(RecordChange.objects.filter(record_id=record.pk).select_related("created_by", "decided_by")[:20])
    pending = next((c for c in changes if c.status == ChangeStatus.PENDING), None)
    labels = {key: record._meta.get_field(key).verbose_name for key in record.record_keys()}
    labels["business_date"] = record.BUSINESS_DATE_LABEL
    pending_diff = []
    if pending:
        for key, new in pending.values.items():
            old = getattr(record, key)
            old = old.isoformat() if hasattr(old, "isoformat") else old
            if (old or None) != (new or None):
                pending_diff.append((labels.get(key, key), shown(key, old), shown(key, new)))
    return {
        "record": record,
        "fields": fields,
        "events": selectors.record_events(record),
        "history": selectors.record_history(record, reveal=reveal),
        "personal": personal,
        "reveal": reveal,
        "changes": changes,
        "pending": pending,
        "pending_diff": pending_diff,
        "reason_form": ReasonForm(),
        "panels": record_panels(request, record, given=panels_given),
    }


class RecordDetailView(WorkspaceMixin, View):
    """The record page: its values, pending change, lifecycle events, whole history (before → after) and the export
    batches that carried it (报送记录)."""

    template_name = "workspace/record_detail.html"

    def check_scope(self, request, pk, **kwargs):
        self.record = selectors.typed_record_for(request.user, pk)

    def get(self, request, pk):
        return render(request, self.template_name, record_detail_context(request, self.record))


class _TransitionView(WorkspaceMixin, View):
    """POST-only lifecycle action on one record: the service checks the state; a stale action gets a message."""

    http_method_names = ["post"]
    success_message = ""

    def check_scope(self, request, pk, **kwargs):
        self.record = selectors.typed_record_for(request.user, pk)

    def run(self, record, user, reason: str, version: str | None):  # pragma: no cover - abstract
        raise NotImplementedError

    def post(self, request, pk):
        form = ReasonForm(request.POST)
        if not form.is_valid():
            reason_errors(request, form)
            return redirect_back(request, reverse("credit:record-detail", args=[pk]))
        try:
            # ``version``: the version the page showed (its forms carry it); the service refuses a record changed since.
            self.run(
                self.record, request.user, form.cleaned_data.get("reason", ""), request.POST.get("version") or None
            )
        except services.RecordError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, self.success_message % {"id": pk})
        return redirect_back(request, reverse("credit:record-detail", args=[pk]))


class RecordSubmitView(ClerkMixin, _TransitionView):
    success_message = _("记录 #%(id)s 已提交，等待审核。")

    def run(self, record, user, reason, version):
        services.record_submit(record=record, user=user, version=version)


class RecordWithdrawView(ClerkMixin, _TransitionView):
    success_message = _("记录 #%(id)s 已撤回为草稿，修改后可重新提交。")

    def run(self, record, user, reason, version):
        services.record_withdraw(record=record, user=user, version=version)


class RecordReturnView(ReviewerMixin, _TransitionView):
    success_message = _("记录 #%(id)s 已退回填报处室。")

    def run(self, record, user, reason, version):
        services.record_return(record=record, user=user, reason=reason, version=version)


class RecordRevokeView(ReviewerMixin, _TransitionView):
    success_message = _("记录 #%(id)s 已撤销。")

    def run(self, record, user, reason, version):
        services.record_revoke(record=record, user=user, reason=reason, version=version)


class _ChangeDecisionView(ReviewerMixin, View):
    http_method_names = ["post"]
    success_message = ""

    def check_scope(self, request, pk, **kwargs):
        self.change = selectors.change_for(request.user, pk)

    def post(self, request, pk):
        form = ReasonForm(request.POST)
        if not form.is_valid():
            reason_errors(request, form)
            return redirect_back(request, reverse("credit:record-detail", args=[self.change.record_id]))
        try:
            self.run(self.change, request.user, form.cleaned_data.get("reason", ""))
        except services.RecordError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, self.success_message % {"id": self.change.record_id})
        return redirect_back(request, reverse("credit:record-detail", args=[self.change.record_id]))


class ChangeApproveView(_ChangeDecisionView):
    success_message = _("记录 #%(id)s 的变更已审核通过并生效。")

    def run(self, change, user, reason):
        services.record_change_approve(change=change, user=user)


class ChangeReturnView(_ChangeDecisionView):
    success_message = _("记录 #%(id)s 的变更已退回，原记录保持不变。")

    def run(self, change, user, reason):
        services.record_change_return(change=change, user=user, reason=reason)


class ChangeWithdrawView(ClerkMixin, View):
    """The clerk of the record's office withdraws (撤回) their pending change before a reviewer decides it."""

    http_method_names = ["post"]

    def check_scope(self, request, pk, **kwargs):
        self.change = selectors.change_for(request.user, pk)

    def post(self, request, pk):
        try:
            services.record_change_withdraw(change=self.change, user=request.user)
        except services.RecordError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("记录 #%(id)s 的变更申请已撤回；原已通过的记录继续有效。") % {"id": self.change.record_id},
            )
        return redirect_back(request, reverse("credit:record-detail", args=[self.change.record_id]))
