"""Workspace pages of the reporting app (/workspace/reporting/): templates, imports, the ledger. Thin: services work."""

from __future__ import annotations

import datetime
import io

from django.conf import settings
from django.contrib import messages
from django.db.models import Case, IntegerField, Value, When
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, ListView, TemplateView, View

from accounts.roles import Role
from audit.models import AuditAction
from audit.services import audit_log
from core.errors import DomainError
from core.privacy import private_response
from credit.models import Item
from credit.selectors import UNSUBMITTED
from credit.services.calendar import semiannual_period
from credit.services.records_bulk import records_submit_bulk
from credit.views.mixins import ClerkMixin, ReviewerMixin, WorkspaceMixin
from reporting.exporters import UploadTemplateExporter
from reporting.forms import BatchCreateForm, ImportUploadForm, ManualUploadForm
from reporting.models import (
    BatchFormat,
    BatchKind,
    BatchStatus,
    ExportBatch,
    ImportJob,
    ImportMode,
    ImportOutcome,
    ImportStatus,
    SemiannualNotice,
)
from reporting.selectors import (
    batches_for,
    compliance_by_office,
    import_job_records,
    problem_rows,
    semiannual_notices_owed,
)
from reporting.services import batches as batch_services
from reporting.services.imports import import_job_create, import_jobs_fail_stale

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def item_no_param(value: str | None) -> int | None:
    """An item number from the query string, or None: ``str.isdigit`` accepts "²", which ``int`` refuses, and digit
    runs too long for ``int`` or the database, so only a short run of ASCII digits counts."""
    value = (value or "").strip()
    if value.isascii() and value.isdigit() and len(value) <= 4:
        return int(value)
    return None


class ReportingHomeView(WorkspaceMixin, TemplateView):
    template_name = "reporting/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["items"] = Item.objects.order_by("no")
        user = self.request.user
        context["jobs"] = ImportJob.objects.restrict(user).select_related("item", "office")[:10]
        # The offices' semiannual reminders of the current and the last period (older ones are settled or stale),
        # without those the office has reported for since: two queries per office listed, whatever the notices.
        today = timezone.localdate()
        since = semiannual_period(today)[0] - datetime.timedelta(days=1)
        notices = SemiannualNotice.objects.restrict(user).filter(due_date__gte=since).select_related("office")[:20]
        context["semiannual_notices"] = semiannual_notices_owed(notices, today=today)
        if user.role == Role.REVIEWER:
            context["failed_batches"] = batches_for(user).filter(status=BatchStatus.FAILED)
        return context


class TemplateDownloadView(WorkspaceMixin, View):
    """The blank upload template of an item (the batch-import format)."""

    def get(self, request, no: int):
        item = get_object_or_404(Item, no=no)
        out = io.BytesIO()
        UploadTemplateExporter(item).write(out)
        out.seek(0)
        audit_log(request=request, action=AuditAction.DOWNLOAD, obj=item, detail={"file": "blank_template"})
        return FileResponse(
            out, as_attachment=True, filename=f"{item.no:02d}-{item.name}-上传模板.xlsx", content_type=XLSX
        )


class ImportCreateView(ClerkMixin, FormView):
    template_name = "reporting/import_form.html"
    form_class = ImportUploadForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        initial = super().get_initial()
        item_no = item_no_param(self.request.GET.get("item"))
        if item_no is not None:
            initial["item"] = Item.objects.filter(no=item_no).first()
        if self.request.GET.get("mode") in ImportMode.values:  # 修改后重新上传: the refused job's mode
            initial["mode"] = self.request.GET["mode"]
        offices = list(self.request.user.offices.all()[:2])
        if len(offices) == 1:  # a clerk of one office has nothing to choose
            initial["office"] = offices[0]
        return initial

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            job = import_job_create(
                user=self.request.user,
                item=form.cleaned_data["item"],
                office=form.cleaned_data["office"],
                data=upload.read(),
                original_name=upload.name,
                submit=form.cleaned_data["submit"],
                mode=form.cleaned_data["mode"],
                request=self.request,
            )
        except DomainError as exc:  # a refused file (ImportRejected) or office (ForbiddenError), under its field
            exc.add_to(form)
            return self.form_invalid(form)
        return redirect("reporting:import-detail", pk=job.pk)


class ImportScopeMixin:
    scope_queryset = ImportJob.objects.select_related("item", "office", "created_by")

    def check_scope(self, request, *args, **kwargs) -> None:
        super().check_scope(request, *args, **kwargs)
        # Without a beat running, the clerk opening the page is what tells a job whose worker died.
        if not self.object.is_finished and import_jobs_fail_stale(job_id=self.object.pk):
            self.object.refresh_from_db()


class ImportDetailView(ImportScopeMixin, ClerkMixin, DetailView):
    template_name = "reporting/import_detail.html"
    context_object_name = "job"
    RECORDS_SHOWN = 200

    def get_object(self, queryset=None):
        return self.object

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.object.status == ImportStatus.SUCCEEDED and self.object.mode == ImportMode.UPDATE:
            records = import_job_records(self.object)
            by_pk = {record.pk: record for record in records}
            context["updated_rows"] = [
                {
                    "row": entry["row"],
                    "record": by_pk[entry["record"]],
                    "outcome": ImportOutcome(entry["outcome"]).label,
                    "to_review": entry["outcome"] in ImportOutcome.to_review(),
                }
                for entry in self.object.updated[: self.RECORDS_SHOWN]
                if entry["record"] in by_pk
            ]
            context["review_count"] = sum(1 for e in self.object.updated if e["outcome"] in ImportOutcome.to_review())
            context["drafts"] = records.filter(status__in=UNSUBMITTED).count()
        elif self.object.status == ImportStatus.SUCCEEDED:
            records = import_job_records(self.object)
            context["new_records"] = list(records[: self.RECORDS_SHOWN])
            context["drafts"] = records.filter(status__in=UNSUBMITTED).count()
        return context


class ImportSubmitView(ImportScopeMixin, ClerkMixin, View):
    """Submit every draft an import created, in one go (each through the submit rules; those refused are named)."""

    http_method_names = ["post"]

    def post(self, request, pk: int):
        job = self.object
        drafts = import_job_records(job).filter(status__in=UNSUBMITTED)
        submitted, refused = records_submit_bulk(records=list(drafts), user=request.user)
        if submitted:
            messages.success(request, _("已提交审核 %(n)d 条记录。") % {"n": len(submitted)})
        for record, reason in refused[:20]:
            messages.error(request, _("记录 %(id)s 未提交：%(reason)s") % {"id": record.pk, "reason": reason})
        if not submitted and not refused:
            messages.info(request, _("本次导入没有待提交的草稿。"))
        return redirect("reporting:import-detail", pk=job.pk)


class ImportStatusView(ImportScopeMixin, ClerkMixin, View):
    """JSON polled by the import page's progress bar."""

    def get(self, request, pk: int):
        job = self.object
        return JsonResponse(
            {
                "status": job.status,
                "status_display": job.get_status_display(),
                "progress": job.progress,
                "finished": job.is_finished,
                "total_rows": job.total_rows,
                "created_count": job.created_count,
                "message": job.message,
                "error_count": len(job.errors),
            }
        )


def file_gone(request, *, purged: bool, back_url: str, back_label: str):
    """The page of a file that is no longer there: deleted after the retention period (410), or missing from storage
    (404); never a 500."""
    if purged:
        message = _("文件已按保留期限删除（保留 %(days)s 天），台账仍保留其哈希、大小、记录数与回执号。") % {
            "days": settings.FILE_RETENTION_DAYS
        }
    else:
        message = _("文件已不存在或无法读取，请联系系统管理员核查存储。")
    return render(
        request,
        "reporting/file_gone.html",
        {"message": message, "back_url": back_url, "back_label": back_label},
        status=410 if purged else 404,
    )


class ImportErrorFileView(ImportScopeMixin, ClerkMixin, View):
    def get(self, request, pk: int):
        job = self.object
        back = {"back_url": reverse("reporting:import-detail", args=[job.pk]), "back_label": _("返回导入结果")}
        if job.files_purged_at:
            return file_gone(request, purged=True, **back)
        if not job.error_file:
            raise Http404
        try:
            handle = job.error_file.open("rb")
        except OSError:
            return file_gone(request, purged=False, **back)
        audit_log(
            request=request,
            action=AuditAction.DOWNLOAD,
            obj=job,
            detail={"file": "error_copy", "item": job.item.no, "errors": len(job.errors)},
        )
        # The error copy is the uploaded sheet: full ID numbers in it.
        return private_response(
            FileResponse(handle, as_attachment=True, filename=f"错误标注-{job.item.name}.xlsx", content_type=XLSX)
        )


class BatchListView(ReviewerMixin, ListView):
    """报送台账: every batch, failed deliveries first."""

    template_name = "reporting/batch_list.html"
    context_object_name = "batches"
    paginate_by = 50

    def get_queryset(self):
        queryset = batches_for(self.request.user)
        status = self.request.GET.get("status")
        if status in BatchStatus.values:
            queryset = queryset.filter(status=status)
        item_no = item_no_param(self.request.GET.get("item"))
        if item_no is not None:
            queryset = queryset.filter(item__no=item_no)
        failed_first = Case(
            When(status=BatchStatus.FAILED, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
        return queryset.order_by(failed_first, "-created_at", "-id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["statuses"] = BatchStatus.choices
        context["items"] = Item.objects.order_by("no")
        context["create_form"] = BatchCreateForm()
        context["failed_count"] = batches_for(self.request.user).filter(status=BatchStatus.FAILED).count()
        return context


class BatchCreateView(ReviewerMixin, FormView):
    form_class = BatchCreateForm
    template_name = "reporting/batch_create.html"

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            if data["format"] == BatchFormat.DOUBLE_PUBLICITY_LICENCE:
                batch = batch_services.licence_batch_create(
                    user=self.request.user, scope=_("手工生成"), request=self.request
                )
            else:
                batch = batch_services.batch_create(
                    item=data["item"],
                    kind=data["kind"],
                    format=data["format"],
                    user=self.request.user,
                    scope=_("手工生成"),
                    request=self.request,
                )
        except batch_services.BatchError as exc:
            exc.add_to(form)  # under the field it names (文件格式), else above the form
            return self.form_invalid(form)
        if batch is None:
            messages.info(self.request, _("没有需要报送的新记录。"))
            return redirect("reporting:batch-list")
        if not batch.is_municipal:
            messages.info(
                self.request,
                _(
                    "双公示国家标准格式的批次用于省级平台，不会自动报送市公共信用信息平台；请下载后手工上传并登记回执号。"
                ),
            )
        elif data["deliver"]:
            batch_services.dispatch(batch)
        messages.success(
            self.request, _("已生成报送批次 #%(id)s（%(n)s 条记录）。") % {"id": batch.pk, "n": batch.row_count}
        )
        return redirect("reporting:batch-detail", pk=batch.pk)


class BatchScopeMixin:
    scope_queryset = ExportBatch.objects.select_related("item", "created_by", "delivered_by")


class BatchDetailView(BatchScopeMixin, ReviewerMixin, DetailView):
    template_name = "reporting/batch_detail.html"
    context_object_name = "batch"

    def get_object(self, queryset=None):
        return self.object

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["manual_form"] = ManualUploadForm()
        batch = self.object
        if batch.is_licence or batch.is_blacklist:
            # Decisions, not records: a municipal batch lists the ones it carries; the reviewer's national licence
            # file carries every approved decision without lines, which the page says in words.
            context["lines"] = []
            context["decision_lines"] = batch.decision_lines.select_related("licence", "blacklist_entry").order_by(
                "pk"
            )[:200]
        else:
            context["lines"] = batch.lines.select_related("record", "record__subject").order_by("record_id")[:200]
        context["BatchStatus"] = BatchStatus
        context["BatchKind"] = BatchKind
        return context


class BatchDownloadView(BatchScopeMixin, ReviewerMixin, View):
    def get(self, request, pk: int):
        batch = self.object
        back = {"back_url": reverse("reporting:batch-detail", args=[batch.pk]), "back_label": _("返回报送批次")}
        if batch.purged_at:
            return file_gone(request, purged=True, **back)
        if not batch.file:
            raise Http404
        try:
            handle = batch.file.open("rb")  # decrypted as it is read (core.files)
        except OSError:
            return file_gone(request, purged=False, **back)
        audit_log(
            request=request,
            action=AuditAction.DOWNLOAD,
            obj=batch,
            detail={
                "file": "batch",
                "item": batch.item.no if batch.item_id else None,
                "rows": batch.row_count,
                "sha256": batch.sha256,
            },
        )
        return private_response(
            FileResponse(handle, as_attachment=True, filename=batch.download_name, content_type=XLSX)
        )


class BatchManualUploadView(BatchScopeMixin, ReviewerMixin, View):
    def post(self, request, pk: int):
        form = ManualUploadForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("请填写平台回执号。"))
        else:
            try:
                batch_services.batch_record_manual_upload(
                    batch=self.object,
                    user=request.user,
                    receipt=form.cleaned_data["receipt"],
                    note=form.cleaned_data["note"],
                    request=request,
                )
                messages.success(request, _("已登记手工上传。"))
            except batch_services.BatchError as exc:
                messages.error(request, str(exc))
        return redirect(reverse("reporting:batch-detail", args=[pk]))


class BatchRetryView(BatchScopeMixin, ReviewerMixin, View):
    def post(self, request, pk: int):
        try:
            batch_services.batch_retry(batch=self.object, user=request.user)
            messages.success(request, _("已重新排队报送。"))
        except batch_services.BatchError as exc:
            messages.error(request, str(exc))
        return redirect(reverse("reporting:batch-detail", args=[pk]))


class ProblemQueueView(WorkspaceMixin, ListView):
    """问题数据: the rows the municipal platform refused, of the user's offices (a reviewer: all), to fix and resend;
    with each office's 合规率 (share of the rows the platform accepted)."""

    template_name = "reporting/problem_queue.html"
    context_object_name = "problems"
    paginate_by = 50

    def get_queryset(self):
        return problem_rows(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["compliance"] = compliance_by_office(self.request.user)
        return context
