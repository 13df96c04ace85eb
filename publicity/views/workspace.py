"""The General Office's publicity workspace: what is due for publication, publishing penalties, licensing decisions,
black-list decisions, policies and news, and the objection/repair queue with its timers. Views only call services."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import WORKSPACE_ROLES, Role
from core.access import get_object_in_scope, role_required
from core.privacy import private_response
from core.scoping import require_role
from credit.models import Record
from publicity import selectors
from publicity.forms import (
    BlackListForm,
    DecisionForm,
    ExternalRepairForm,
    ExternalRepairImportForm,
    LicenceForm,
    NewsItemForm,
    PolicyDocumentForm,
    PublishForm,
    ReasonForm,
)
from publicity.models import (
    BlackListEntry,
    ExternalRepair,
    LicenceDecision,
    LicenceStatus,
    NewsItem,
    Objection,
    PolicyDocument,
    Publication,
    RepairApplication,
)
from publicity.services import blacklist as bl
from publicity.services import licences as lic
from publicity.services.content import article_save
from publicity.services.errors import PublicityError
from publicity.services.publications import (
    PENALTY_ITEMS,
    default_period,
    penalty_defaults,
    publication_deadline,
    publication_publish,
    publication_withdraw,
    record_withheld,
    typed_record,
)
from publicity.services.repairs import external_repair_record, external_repairs_import
from publicity.services.requests import evidence_size, request_decide, request_evidence_open

ARTICLE_MODELS = {"policies": (PolicyDocument, PolicyDocumentForm), "news": (NewsItem, NewsItemForm)}


# Rows per list on the reviewer's to-do page (the most urgent first; the page says how many there are in all).
DASHBOARD_ROWS = 200

# Signed-in staff of these roles; anonymous visitors get the login page, other roles 403 (core.access).
reviewer_required = role_required(Role.REVIEWER)
staff_required = role_required(*WORKSPACE_ROLES)


@reviewer_required
def dashboard(request):
    """Due for publication (decision + 7 working days), licences to review, open objections and repairs."""
    # A to-do page: each list shows its most urgent DASHBOARD_ROWS, and says how many there are in all.
    rows = DASHBOARD_ROWS
    penalties = selectors.penalties_awaiting_publication()
    licences = selectors.licences_awaiting_publication()
    submitted = LicenceDecision.objects.filter(status=LicenceStatus.SUBMITTED).select_related("office").order_by("id")
    due = selectors.publication_deadlines(list(penalties[:rows]), lambda r: r.business_date, "record")
    licences_due = selectors.publication_deadlines(list(licences[:rows]), lambda lic: lic.jdrq, "licence")
    requests = selectors.open_requests(limit=rows)
    totals = {"due": len(due), "licences_due": len(licences_due), "requests": len(requests)}
    # Counted only when a list is full: an ordinary day costs no extra query.
    if totals["due"] == rows:
        totals["due"] = penalties.count()
    if totals["licences_due"] == rows:
        totals["licences_due"] = licences.count()
    if totals["requests"] == rows:
        totals["requests"] = selectors.open_request_count()
    licences_submitted = list(submitted[:rows])
    totals["licences_submitted"] = submitted.count() if len(licences_submitted) == rows else len(licences_submitted)
    return render(
        request,
        "publicity/workspace/dashboard.html",
        {
            "due": due,
            "licences_due": licences_due,
            "licences_submitted": licences_submitted,
            "requests": requests,
            "totals": totals,
            "shown": rows,
            "due_soon_days": 3,
        },
    )


@reviewer_required
def publish_penalty(request, record_id: int):
    record = get_object_or_404(Record.objects.select_related("item"), pk=record_id, item__no__in=PENALTY_ITEMS)
    try:
        defaults = penalty_defaults(record)
    except PublicityError:
        raise Http404 from None
    if record_withheld(record):  # a 处分 is never published: there is nothing to publish here
        raise Http404
    period, earliest, latest, default_end = default_period(defaults)
    initial = {k: v for k, v in defaults.items() if k in PublishForm.base_fields}
    initial["publicity_end"] = default_end
    form = PublishForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            publication_publish(record=record, user=request.user, **form.cleaned_data)
        except PublicityError as exc:
            exc.add_to(form)
        else:
            messages.success(request, _("已公示。"))
            return HttpResponseRedirect(reverse("publicity-workspace:dashboard"))
    return render(
        request,
        "publicity/workspace/publish.html",
        {
            "form": form,
            "record": typed_record(record),
            "defaults": defaults,
            "earliest": earliest,
            "latest": latest,
            "period": period,
            "default_end": default_end,
            "deadline": publication_deadline(defaults["decision_date"]),
        },
    )


@reviewer_required
def publications(request):
    page = selectors.keyset_page(Publication.objects.select_related("record").order_by("-id"), request.GET.get("after"))
    return render(request, "publicity/workspace/publications.html", {"page": page})


@reviewer_required
@require_POST
def publication_withdraw_view(request, pk: int):
    pub = get_object_or_404(Publication, pk=pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            publication_withdraw(publication=pub, user=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, _("已撤下公示。"))
        except PublicityError as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, _("请填写撤下原因。"))
    return HttpResponseRedirect(reverse("publicity-workspace:publications"))


# --- objections and repairs -----------------------------------------------------------------------------------------


def _request_or_404(kind: str, pk: int):
    model = {"objection": Objection, "repair": RepairApplication}.get(kind)
    if model is None:
        raise Http404
    return get_object_or_404(model, pk=pk)


@reviewer_required
def request_detail(request, kind: str, pk: int):
    req = _request_or_404(kind, pk)
    selectors.request_timers([req])
    form = DecisionForm(request.POST or None, correctable=kind == "objection" and req.publication_id is not None)
    if kind == "repair":
        form.fields["outcome"].choices = [c for c in form.fields["outcome"].choices if c[0] != "corrected"]
    if request.method == "POST" and form.is_valid():
        try:
            request_decide(request=req, user=request.user, **form.decision())
        except PublicityError as exc:
            exc.add_to(form)
        else:
            messages.success(request, _("已办结，结果已通知申请人（可凭查询码查看）。"))
            return HttpResponseRedirect(reverse("publicity-workspace:dashboard"))
    return render(
        request,
        "publicity/workspace/request_detail.html",
        {"req": req, "kind": kind, "form": form, "evidence_size": evidence_size(req)},
    )


@reviewer_required
def request_evidence(request, kind: str, pk: int, which: str = "evidence"):
    """The objection's or repair's evidence (or a repair's 信用承诺书), as an attachment (never rendered inline),
    download audited."""
    req = _request_or_404(kind, pk)
    if which not in ("evidence", "commitment") or not getattr(req, which, None):
        raise Http404
    try:
        evidence = request_evidence_open(req=req, user=request.user, http_request=request, which=which)
    except PublicityError as exc:
        messages.error(request, str(exc))
        return HttpResponseRedirect(reverse("publicity-workspace:request", args=[kind, pk]))
    response = FileResponse(
        evidence.file, as_attachment=True, filename=evidence.filename, content_type=evidence.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return private_response(response)


# --- repair decisions made on 信用中国 ------------------------------------------------------------------------------


@reviewer_required
def external_repairs(request):
    """Enter one repair decision made on 信用中国 (or 信用江西), or import their list: each withdraws its penalty."""
    form = ExternalRepairForm(request.POST or None if "enter" in request.POST else None)
    upload = ExternalRepairImportForm(
        request.POST if "import" in request.POST else None, request.FILES if "import" in request.POST else None
    )
    import_errors: list[str] = []
    if request.method == "POST" and "enter" in request.POST and form.is_valid():
        try:
            external_repair_record(user=request.user, **form.cleaned_data)
        except PublicityError as exc:
            exc.add_to(form)
        else:
            messages.success(request, _("已录入修复结果，并撤下该行政处罚公示。"))
            return HttpResponseRedirect(reverse("publicity-workspace:external-repairs"))
    if request.method == "POST" and "import" in request.POST and upload.is_valid():
        file = upload.cleaned_data["file"]
        try:
            result = external_repairs_import(data=file.read(), filename=file.name, user=request.user)
        except PublicityError as exc:
            exc.add_to(upload)
        else:
            if result.errors:
                import_errors = result.errors
            else:
                messages.success(request, _("已导入 %(n)s 条修复结果，相应公示已撤下。") % {"n": result.imported})
                return HttpResponseRedirect(reverse("publicity-workspace:external-repairs"))
    recent = ExternalRepair.objects.select_related("publication", "created_by")[:50]
    return render(
        request,
        "publicity/workspace/external_repairs.html",
        {"form": form, "upload": upload, "import_errors": import_errors, "recent": recent},
    )


# --- licensing decisions ---------------------------------------------------------------------------------------------


@staff_required
def licence_list(request):
    qs = LicenceDecision.objects.restrict(request.user).select_related("office").order_by("-id")
    page = selectors.keyset_page(qs, request.GET.get("after"), 50)
    return render(request, "publicity/workspace/licence_list.html", {"page": page})


@staff_required
def licence_edit(request, pk: int | None = None):
    licence = None
    if pk is not None:
        # In scope first (404), then the role (403): a reviewer may see the decision but not edit it.
        licence = get_object_in_scope(LicenceDecision, request.user, "view", pk=pk)
    require_role(request.user, Role.CLERK)
    form = LicenceForm(request.POST or None, instance=licence)
    if request.method == "POST" and form.is_valid():
        data = request.POST
        try:
            if licence is None:
                licence = lic.licence_create(user=request.user, data=data, submit="submit" in data)
            else:
                licence = lic.licence_update(licence=licence, user=request.user, data=data)
                if "submit" in data:
                    licence = lic.licence_submit(licence=licence, user=request.user)
        except PublicityError as exc:
            form = LicenceForm(request.POST, instance=licence)
            form.is_valid()
            exc.add_to(form)
        else:
            messages.success(request, _("已保存。"))
            return HttpResponseRedirect(reverse("publicity-workspace:licence", args=[licence.pk]))
    return render(request, "publicity/workspace/licence_form.html", {"form": form, "licence": licence})


@staff_required
def licence_detail(request, pk: int):
    licence = get_object_in_scope(LicenceDecision.objects.select_related("office"), request.user, pk=pk)
    return render(request, "publicity/workspace/licence_detail.html", {"licence": licence, "reason_form": ReasonForm()})


@staff_required
@require_POST
def licence_action(request, pk: int, action: str):
    licence = get_object_in_scope(LicenceDecision, request.user, pk=pk)
    reason = request.POST.get("reason", "")
    actions = {
        "submit": lambda: lic.licence_submit(licence=licence, user=request.user),
        "approve": lambda: lic.licence_approve(
            licence=licence, user=request.user, publish=request.POST.get("publish", "1") == "1"
        ),
        "return": lambda: lic.licence_return(licence=licence, user=request.user, reason=reason),
        "publish": lambda: lic.licence_publish(licence=licence, user=request.user),
        "revoke": lambda: lic.licence_revoke(licence=licence, user=request.user, reason=reason),
    }
    if action not in actions:
        raise Http404
    try:
        actions[action]()
        messages.success(request, _("操作成功。"))
    except PublicityError as exc:
        messages.error(request, str(exc))
    return HttpResponseRedirect(reverse("publicity-workspace:licence", args=[pk]))


# --- black list --------------------------------------------------------------------------------------------------


@reviewer_required
def blacklist(request):
    page = selectors.keyset_page(BlackListEntry.objects.order_by("-id"), request.GET.get("after"), 50)
    return render(request, "publicity/workspace/blacklist.html", {"page": page, "reason_form": ReasonForm()})


@reviewer_required
def blacklist_add(request):
    form = BlackListForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            bl.blacklist_add_by_code(user=request.user, record_ids=data.pop("records"), **data)
        except PublicityError as exc:
            exc.add_to(form)
        else:
            messages.success(request, _("已列入黑名单。"))
            return HttpResponseRedirect(reverse("publicity-workspace:blacklist"))
    return render(request, "publicity/workspace/form.html", {"form": form, "heading": _("列入黑名单")})


@reviewer_required
@require_POST
def blacklist_remove(request, pk: int):
    entry = get_object_or_404(BlackListEntry, pk=pk)
    try:
        bl.blacklist_remove(entry=entry, user=request.user, reason=request.POST.get("reason", ""))
        messages.success(request, _("已移出黑名单。"))
    except PublicityError as exc:
        messages.error(request, str(exc))
    return HttpResponseRedirect(reverse("publicity-workspace:blacklist"))


# --- policies and news -------------------------------------------------------------------------------------------


@reviewer_required
def article_list(request, kind: str):
    model, _form = ARTICLE_MODELS[kind]
    page = Paginator(model.objects.order_by("-published_at", "-id"), 50).get_page(request.GET.get("page"))
    context = {"kind": kind, "title": model._meta.verbose_name, "articles": page.object_list}
    context.update(page_obj=page, is_paginated=page.has_other_pages())
    return render(request, "publicity/workspace/article_list.html", context)


@reviewer_required
def article_edit(request, kind: str, pk: int | None = None):
    model, form_class = ARTICLE_MODELS[kind]
    instance = get_object_or_404(model, pk=pk) if pk else None
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            article_save(model=model, user=request.user, data=request.POST, instance=instance)
        except PublicityError as exc:
            exc.add_to(form)
        else:
            messages.success(request, _("已保存。"))
            return HttpResponseRedirect(reverse("publicity-workspace:articles", args=[kind]))
    return render(request, "publicity/workspace/form.html", {"form": form, "heading": model._meta.verbose_name})
