"""The public side of the 信用报告: download an organisation's report (PDF) from its page, and verify a copy.

Anyone may download and verify; generation is limited per client address (each download is numbered and stored).
Only organisations: an ID number is not a credit code, so no natural person's report is ever generated here.
"""

from __future__ import annotations

from django import forms
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from audit.services import client_ip
from credit.validators import classify_org_code
from vetting.models import Commitment, CreditReport
from vetting.services.reports import credit_report_create, credit_report_matches

REPORTS_PER_HOUR = 20
MAX_VERIFY_BYTES = 10 * 1024 * 1024


class VerifyForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("要核验的报告文件（PDF）"))


def _over_limit(request) -> bool:
    key = f"vetting:report:{client_ip(request) or 'unknown'}"
    cache.add(key, 0, timeout=3600)
    try:
        return cache.incr(key) > REPORTS_PER_HOUR
    except ValueError:  # expired between add and incr
        return False


@require_GET
def credit_report(request, code: str):
    """/org/<credit code>/credit-report.pdf: the organisation's report, numbered and recorded."""
    code = code.strip().upper()
    try:
        classify_org_code(code)
    except ValidationError:
        raise Http404 from None
    if _over_limit(request):
        return HttpResponse(_("下载过于频繁，请一小时后再试。"), status=429, content_type="text/plain; charset=utf-8")
    made = credit_report_create(
        code=code,
        verify_url_for=lambda number: request.build_absolute_uri(reverse("vetting-public:verify", args=[number])),
    )
    if made is None:
        raise Http404
    report, data = made
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{report.number}.pdf"'
    return response


@require_http_methods(["GET", "POST"])
def verify(request, number: str):
    """/credit-report/<number>/: the report's number, time, subject and hash; an uploaded copy is compared with it."""
    report = get_object_or_404(CreditReport, number=number.strip().upper()[:40])
    form = VerifyForm(request.POST or None, request.FILES or None)
    verdict = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_VERIFY_BYTES:
            form.add_error("file", _("文件过大（上限 10 MB），不是本平台出具的报告。"))
        else:
            verdict = credit_report_matches(report, upload.read())
    return render(request, "vetting/report_verify.html", {"report": report, "form": form, "verdict": verdict})


@require_GET
def commitments(request):
    """/commitments/: organisations' 信用承诺 and their fulfilment, newest first."""
    page = Paginator(Commitment.objects.select_related("breach_record"), 50).get_page(request.GET.get("page"))
    return render(request, "vetting/public_commitments.html", {"page": page})
