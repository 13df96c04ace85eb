"""信用审查 in the workspace: the rules (read-only for staff; the system admin edits them in the admin), the external
lists (reviewers import them), and the batch checks of candidate lists (clerks and reviewers)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, TemplateView

from core.errors import DomainError
from credit.models import SubjectKind
from credit.personal_data import personal_data_shown
from credit.selectors import subject_for
from credit.views.mixins import ReviewerMixin, WorkspaceMixin
from vetting.forms import BatchCheckForm, CommitmentImportForm, CommitmentStatusForm, ExternalListImportForm
from vetting.models import BatchCheck, Commitment, CreditEvaluation, EvaluationRule, ExternalList, RuleSource
from vetting.panels import hit_link
from vetting.selectors import batch_checks_for, records_openable_by, rules
from vetting.services.batch import batch_check_run, batch_check_xlsx
from vetting.services.commitments import commitment_set_status, commitments_import
from vetting.services.lists import external_lists_import
from vetting.services.reports import person_report_create


class RulesView(WorkspaceMixin, TemplateView):
    """The credit check's rules as a table every staff member can read."""

    template_name = "vetting/rules.html"

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "rules": rules(enabled_only=False),
            "evaluation_rules": EvaluationRule.objects.select_related("item"),
            "grades": settings.CREDIT_EVALUATION_GRADES,
            "lowest_grade": settings.CREDIT_EVALUATION_LOWEST_GRADE,
        }


class ExternalListsView(ReviewerMixin, FormView):
    """The external lists held (names, counts, when imported) and the import form; entries are never listed here."""

    template_name = "vetting/lists.html"
    form_class = ExternalListImportForm

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "lists": ExternalList.objects.select_related("imported_by")}

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            imported = external_lists_import(
                data=upload.read(), file_name=upload.name, user=self.request.user, request=self.request
            )
        except DomainError as exc:
            exc.add_to(form)
            return self.form_invalid(form)
        for dishonesty_list in imported:
            messages.success(
                self.request,
                _("已导入“%(name)s”%(n)d 条（原有条目已整体替换）。")
                % {"name": dishonesty_list.name, "n": dishonesty_list.entry_count},
            )
        return redirect("vetting:lists")


class BatchCheckListView(WorkspaceMixin, FormView):
    """The user's batch checks and the upload form (评优评先信用审查)."""

    template_name = "vetting/batch_list.html"
    form_class = BatchCheckForm

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["checks"] = batch_checks_for(self.request.user)[:50]
        return ctx

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            check = batch_check_run(
                data=upload.read(),
                file_name=upload.name,
                user=self.request.user,
                title=form.cleaned_data["title"],
                request=self.request,
            )
        except DomainError as exc:
            exc.add_to(form)
            return self.form_invalid(form)
        return redirect("vetting:batch-detail", pk=check.pk)


class BatchScopeMixin:
    scope_queryset = BatchCheck.objects.select_related("office", "created_by")


class BatchCheckDetailView(BatchScopeMixin, WorkspaceMixin, DetailView):
    """The printable report: number, time, and per candidate clear or the hits (linked where the user may open them:
    everything for reviewers, a clerk's own offices' records)."""

    template_name = "vetting/batch_detail.html"
    context_object_name = "check"

    def get_object(self, queryset=None):
        return self.object

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user, results = self.request.user, self.object.results
        if user.is_reviewer:
            link = hit_link
        else:
            # By design a clerk's check reports every office's non-public hits too (评优评先 across the bureau), but
            # links only to the records the clerk may open: another office's record answers the clerk 404 and the
            # black and external lists are the reviewers' pages, so those show their reference alone.
            openable = records_openable_by(user, (h.get("record_id") for r in results for h in r["hits"]))

            def link(hit: dict) -> str:
                records_hit = hit.get("source") == RuleSource.RECORDS
                return hit_link(hit) if records_hit and hit.get("record_id") in openable else ""

        ctx["rows"] = [{**r, "hits": [{**h, "url": link(h)} for h in r["hits"]]} for r in results]
        return ctx


class BatchCheckDownloadView(BatchScopeMixin, WorkspaceMixin, View):
    """The report as .xlsx."""

    def get(self, request, pk):
        response = HttpResponse(
            batch_check_xlsx(self.object),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{self.object.number}.xlsx"'
        return response


class CommitmentsView(ReviewerMixin, FormView):
    """The 信用承诺 register: every commitment, the import form, and each one's fulfilment form."""

    template_name = "vetting/commitments.html"
    form_class = CommitmentImportForm

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["commitments"] = Commitment.objects.select_related("breach_record__item")[:200]
        ctx["status_form"] = CommitmentStatusForm()
        return ctx

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            created = commitments_import(
                data=upload.read(), file_name=upload.name, user=self.request.user, request=self.request
            )
        except DomainError as exc:
            exc.add_to(form)
            return self.form_invalid(form)
        messages.success(self.request, _("已导入 %(n)d 条信用承诺。") % {"n": len(created)})
        return redirect("vetting:commitments")


class CommitmentStatusView(ReviewerMixin, View):
    """POST: record a commitment's fulfilment (履约 / 失信 with the record that shows the breach)."""

    http_method_names = ["post"]

    def check_scope(self, request, *args, **kwargs):
        self.object = get_object_or_404(Commitment, pk=kwargs["pk"])

    def post(self, request, pk):
        form = CommitmentStatusForm(request.POST)
        if not form.is_valid():
            for name, errors in form.errors.items():
                label = form.fields[name].label if name in form.fields else ""
                for error in errors:
                    messages.error(request, f"{label}：{error}" if label else error)
            return redirect("vetting:commitments")
        try:
            commitment_set_status(
                commitment=self.object,
                user=request.user,
                status=form.cleaned_data["status"],
                breach_record_id=form.cleaned_data["breach_record"],
                note=form.cleaned_data["note"],
                request=request,
            )
        except DomainError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("已更新履约状态。"))
        return redirect("vetting:commitments")


GRADES = ("A", "B", "C", "D")


class EvaluationListView(ReviewerMixin, TemplateView):
    """信用评价 of organisations by grade, for supervision (reviewers; never public), with each one's reasons."""

    template_name = "vetting/evaluations.html"

    def get_context_data(self, **kwargs):
        grade = self.request.GET.get("grade", "")
        qs = CreditEvaluation.objects.select_related("subject").order_by("score", "subject_id")
        if grade in GRADES:
            qs = qs.filter(grade=grade)
        counts = dict(CreditEvaluation.objects.values_list("grade").annotate(n=Count("pk")).values_list("grade", "n"))
        return {
            **super().get_context_data(**kwargs),
            "evaluations": qs[:500],
            "grade": grade if grade in GRADES else "",
            "counts": [(g, counts.get(g, 0)) for g in GRADES],
            "public": settings.CREDIT_EVALUATION_PUBLIC,
        }


class PersonReportView(WorkspaceMixin, View):
    """``/workspace/vetting/subjects/<id>/credit-report.pdf``: a natural person's 信用报告 for staff (a reviewer any
    person; a clerk a person their offices have records about, else 404). Organisations' reports are public
    (``vetting-public:credit-report``), so an organisation here is 404 too. The PDF shows the full ID number and the
    name, so each download is audited as a view of personal data."""

    def check_scope(self, request, pk, **kwargs):
        self.subject = subject_for(request.user, pk)
        if self.subject.kind != SubjectKind.NATURAL:
            raise Http404

    def get(self, request, pk):
        report, data = person_report_create(
            user=request.user,
            subject=self.subject,
            verify_url_for=lambda number: request.build_absolute_uri(reverse("vetting-public:verify", args=[number])),
        )
        personal_data_shown(
            request, fields=["identifier", "name"], obj=self.subject, detail={"credit_report": report.number}
        )
        response = HttpResponse(data, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{report.number}.pdf"'
        return response
