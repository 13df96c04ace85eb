"""Oversight pages under /workspace/oversight/: the dashboard, per-office figures, indicators and bulletins.

Thin views: figures come from ``oversight.selectors``, writes from ``oversight.services``. Scope gives 404, role 403
(the gate of ``core.access``, through ``credit.views.mixins``)."""

from __future__ import annotations

import datetime
import json

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from accounts.roles import Role
from credit.views.mixins import ReviewerMixin, WorkspaceMixin
from oversight import selectors, services
from oversight.forms import BulletinForm, DecisionForm, PeriodForm, ProgressEntryForm
from oversight.models import Bulletin, Indicator, IndicatorStatus, ProgressEntry
from oversight.periods import PeriodError, parse_period, parse_year


def _period_from(request):
    form = PeriodForm(request.GET or None)
    if form.is_valid():
        return form, form.cleaned_data["period"]
    return form, parse_period(str(timezone.localdate().year))


def _publication_context() -> dict:
    return {
        "publish_days": settings.PUBLICITY_PUBLISH_WORKING_DAYS,
        "review_days": settings.OVERSIGHT_REVIEW_WORKING_DAYS,
    }


def _pct(rate):
    """The chart's number: the percentage the table shows (``selectors.percent``)."""
    value = selectors.percent(rate)
    return None if value is None else float(value)


class DashboardView(WorkspaceMixin, View):
    """Timeliness and completeness per office, the overdue trend, records by item and category, indicator progress.

    A reviewer sees every office; a clerk the same page limited to their offices."""

    def get(self, request):
        form, period = _period_from(request)
        offices = selectors.offices_for(request.user)
        today = timezone.localdate()
        rows, total = selectors.timeliness_by_office(period=period, offices=offices, today=today)
        trend = selectors.monthly_trend(year=period.year, offices=offices, today=today)
        by_item = selectors.records_by_item(period=period, offices=offices)
        by_category = selectors.records_by_category(period=period, offices=offices)
        indicators = list(selectors.indicators_for(user=request.user, year=period.year))
        semiannual = selectors.semiannual_reports(period=period, offices=offices, today=today)
        status_counts = {s.value: 0 for s in IndicatorStatus}
        for ind in indicators:
            status_counts[ind.status] += 1
        charts = {
            "onTime": {
                "labels": [r.office.name for r in rows],
                "rates": [_pct(r.figures.on_time_rate) for r in rows],
                "label": _("及时率（%）"),
            },
            "trend": {
                "labels": [str(m["label"]) for m in trend],
                "series": [
                    {"label": _("逾期未报"), "data": [m["figures"].overdue for m in trend], "color": "#c0392b"},
                    {"label": _("迟报"), "data": [m["figures"].late for m in trend], "color": "#e67e22"},
                    {"label": _("按时报送"), "data": [m["figures"].on_time for m in trend], "color": "#27ae60"},
                    # Not yet due: with it the month's bar is the table's 应报 (it read 5 of 18 in the current month).
                    {"label": _("未到期"), "data": [m["figures"].pending for m in trend], "color": "#7f8c8d"},
                ],
            },
            "byItem": {
                "labels": [f"{i['no']}. {i['name']}" for i in by_item],
                "data": [i["count"] for i in by_item],
                "label": _("应报记录"),
            },
            "byCategory": {"labels": [c["category"] for c in by_category], "data": [c["count"] for c in by_category]},
            "indicators": {
                "labels": [_("指标%(no)d") % {"no": i.no} for i in indicators],
                "data": [i.entries for i in indicators],
                "status": [i.get_status_display() for i in indicators],
                "done": [i.status == IndicatorStatus.DONE for i in indicators],
                "label": _("进展条数"),
            },
        }
        return render(
            request,
            "oversight/dashboard.html",
            {
                "form": form,
                "period": period,
                "rows": rows,
                "total": total,
                "trend": trend,
                "by_item": by_item,
                "by_category": by_category,
                "indicators": indicators,
                "status_counts": status_counts,
                "semiannual": semiannual,
                "charts": charts,
                "today": today,
                **_publication_context(),
            },
        )


class OfficeFiguresView(WorkspaceMixin, View):
    """One office's records due in the period, each with its timeliness and any provisional due date flagged."""

    def check_scope(self, request, code):
        self.office = get_object_or_404(selectors.offices_for(request.user), code=code)

    def get(self, request, code):
        form, period = _period_from(request)
        today = timezone.localdate()
        offices = selectors.offices_for(request.user).filter(pk=self.office.pk)
        rows, total = selectors.timeliness_by_office(period=period, offices=offices, today=today)
        paginator = Paginator(selectors.classified_records(period=period, offices=offices, today=today), 100)
        # The records due in the period are the maintained figure ``due`` (the cells): not counted again.
        paginator.count = rows[0].figures.due
        page = paginator.get_page(request.GET.get("page"))
        for record in page.object_list:
            record.timeliness_label = selectors.TIMELINESS_LABELS.get(record.timeliness, "")
        return render(
            request,
            "oversight/office.html",
            {
                "form": form,
                "office": self.office,
                "period": period,
                "figures": rows[0].figures,
                "semi": rows[0].semiannual,
                "records": page.object_list,
                "page_obj": page,
                "is_paginated": page.has_other_pages(),
                "today": today,
                "rows": rows,
                **_publication_context(),
            },
        )


class IndicatorListView(WorkspaceMixin, View):
    def get(self, request):
        this_year = timezone.localdate().year
        try:
            year = parse_year(request.GET.get("year"), default=this_year)
        except PeriodError as exc:
            messages.error(request, str(exc))
            year = this_year
        indicators = selectors.indicators_for(user=request.user, year=year)
        return render(
            request,
            "oversight/indicator_list.html",
            {
                "year": year,
                "indicators": indicators,
                "years": sorted(set(Indicator.objects.values_list("year", flat=True)) | {year}, reverse=True),
                "can_ensure": request.user.role == Role.REVIEWER and not Indicator.objects.filter(year=year).exists(),
            },
        )


class IndicatorEnsureView(ReviewerMixin, View):
    """The General Office creates a year's eight indicators from Annex 2 (idempotent)."""

    def post(self, request):
        try:
            year = parse_year(request.POST.get("year"))
            created = services.ensure_indicators(year)
        except PeriodError as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(reverse("oversight:indicators"))
        except services.IndicatorError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return HttpResponseRedirect(reverse("oversight:indicators"))
        messages.success(request, _("已生成 %(year)d 年度考核指标 %(n)d 项。") % {"year": year, "n": created})
        return HttpResponseRedirect(reverse("oversight:indicators") + f"?year={year}")


class _IndicatorMixin(WorkspaceMixin):
    scope_queryset = Indicator.objects.all()
    scope_attribute = "indicator"


class IndicatorDetailView(_IndicatorMixin, View):
    def get(self, request, pk, progress_form=None, decision_form=None):
        return render(request, "oversight/indicator_detail.html", self._context(request, progress_form, decision_form))

    def _context(self, request, progress_form=None, decision_form=None):
        indicator = self.indicator
        offices = services.progress_offices(indicator=indicator, user=request.user)
        return {
            "indicator": indicator,
            "assignments": indicator.assignments.select_related("office"),
            "entries": indicator.progress.select_related("office", "author"),
            "events": indicator.events.select_related("user", "office"),
            "progress_form": progress_form
            or (ProgressEntryForm(offices=offices) if offices and indicator.status != IndicatorStatus.DONE else None),
            "decision_form": decision_form or (DecisionForm() if request.user.role == Role.REVIEWER else None),
        }


class IndicatorProgressView(_IndicatorMixin, View):
    def post(self, request, pk):
        offices = services.progress_offices(indicator=self.indicator, user=request.user)
        if not offices:
            raise PermissionDenied
        form = ProgressEntryForm(request.POST, request.FILES, offices=offices)
        if form.is_valid():
            try:
                services.indicator_add_progress(
                    indicator=self.indicator,
                    office=form.cleaned_data["office"],
                    user=request.user,
                    text=form.cleaned_data["text"],
                    link=form.cleaned_data["link"],
                    attachment=form.cleaned_data.get("attachment") or None,
                )
            except services.IndicatorError as exc:
                exc.add_to(form)
            except ValidationError as exc:  # the evidence file's checks (type, content, size), from full_clean
                form.add_error(None, exc)
            else:
                messages.success(request, _("工作进展已保存。"))
                return HttpResponseRedirect(reverse("oversight:indicator-detail", args=[self.indicator.pk]))
        detail = IndicatorDetailView()
        detail.indicator = self.indicator
        return render(
            request, "oversight/indicator_detail.html", detail._context(request, progress_form=form), status=400
        )


class IndicatorDecisionView(ReviewerMixin, _IndicatorMixin, View):
    """确认完成 / 退回 / 重新打开, by the General Office."""

    actions = {
        "complete": (services.indicator_complete, _("已确认该指标完成。")),
        "return": (services.indicator_return, _("已退回该指标。")),
        "reopen": (services.indicator_reopen, _("已重新打开该指标。")),
    }

    def post(self, request, pk, action):
        if action not in self.actions:
            raise Http404
        service, done = self.actions[action]
        form = DecisionForm(request.POST)
        form.is_valid()
        try:
            service(indicator=self.indicator, user=request.user, comment=form.cleaned_data.get("comment", ""))
        except services.IndicatorError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, str(done))
        return HttpResponseRedirect(reverse("oversight:indicator-detail", args=[self.indicator.pk]))


class ProgressAttachmentView(WorkspaceMixin, View):
    """The evidence file of a progress entry, for those who may see its indicator (never a public media URL)."""

    def check_scope(self, request, pk, **kwargs):
        self.entry = get_object_or_404(
            ProgressEntry.objects.filter(indicator__in=Indicator.objects.restrict(request.user)).exclude(attachment=""),
            pk=pk,
        )

    def get(self, request, pk):
        return FileResponse(
            self.entry.attachment.open("rb"), as_attachment=True, filename=self.entry.attachment_name or None
        )


class BulletinListView(ReviewerMixin, View):
    def get(self, request, form=None):
        bulletins = Bulletin.objects.select_related("generated_by").order_by("-generated_at", "-id")
        page = Paginator(bulletins, 50).get_page(request.GET.get("page"))
        return render(
            request,
            "oversight/bulletin_list.html",
            {
                "bulletins": page.object_list,
                "page_obj": page,
                "is_paginated": page.has_other_pages(),
                "form": form or BulletinForm(),
            },
        )

    def post(self, request):
        form = BulletinForm(request.POST)
        if not form.is_valid():
            return self.get(request, form=form)
        bulletin = services.bulletin_generate(period=form.cleaned_data["period"], user=request.user)
        messages.success(request, _("已生成%(title)s。") % {"title": bulletin.title})
        return HttpResponseRedirect(reverse("oversight:bulletin-detail", args=[bulletin.pk]))


class _BulletinMixin(ReviewerMixin):
    def check_scope(self, request, pk, **kwargs):
        if request.user.role != Role.REVIEWER:
            raise Http404
        self.bulletin = get_object_or_404(Bulletin, pk=pk)


class BulletinDetailView(_BulletinMixin, View):
    """The printable bulletin (print CSS), from the figures stored when it was generated."""

    def get(self, request, pk):
        return render(
            request,
            "oversight/bulletin_detail.html",
            {"bulletin": self.bulletin, "data": self.bulletin.data, "data_json": json.dumps(self.bulletin.data)},
        )


class BulletinDownloadView(_BulletinMixin, View):
    def get(self, request, pk):
        return FileResponse(
            self.bulletin.file.open("rb"),
            as_attachment=True,
            filename=f"{self.bulletin.title}.xlsx",
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )


class NilReportView(WorkspaceMixin, View):
    """零报告与缺报: per office the expected monthly reports (months × items owned), received, nil and missing; a clerk
    confirms "本月无此类信息" for a missing month of their office."""

    def get(self, request):
        form, period = _period_from(request)
        offices = selectors.offices_for(request.user)
        rows = selectors.completeness_by_office(period=period, offices=offices, today=timezone.localdate())
        for row in rows:
            row["rate"] = _pct(row["completeness_rate"])
        gaps = selectors.decision_number_gaps(year=period.year, offices=offices)
        context = {"form": form, "period": period, "rows": rows, "gaps": gaps}
        return render(request, "oversight/nil_reports.html", context)

    def post(self, request):
        from core.errors import DomainError
        from credit.models import Item, Office

        if request.user.role != Role.CLERK:
            raise PermissionDenied
        office = get_object_or_404(
            Office.objects.filter(pk__in=request.user.offices.all()), code=request.POST.get("office", "")
        )
        item_no = request.POST.get("item", "")
        item = (
            get_object_or_404(Item, no=int(item_no))
            if item_no.isascii() and item_no.isdigit() and len(item_no) <= 4
            else None
        )
        if item is None:
            raise Http404
        try:
            month = datetime.datetime.strptime(request.POST.get("month", ""), "%Y-%m").date()
        except ValueError:
            messages.error(request, _("“月份”格式应为 YYYY-MM，例如 2026-03。"))
            return HttpResponseRedirect(reverse("oversight:nil-reports"))
        try:
            services.nil_report_confirm(user=request.user, office=office, item=item, month=month, request=request)
        except DomainError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("已确认 %(office)s %(month)s “%(item)s”零报告。")
                % {"office": office.name, "month": f"{month:%Y-%m}", "item": item.name},
            )
        return HttpResponseRedirect(reverse("oversight:nil-reports") + f"?period={month:%Y}")
