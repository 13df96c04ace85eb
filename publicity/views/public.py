"""The public credit column (信用信息专栏): anonymous, read-only except for objections and repair applications.
Every entry comes through ``publicity.selectors``; nothing here decides what is public."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from credit.validators import classify_school_or_org_code
from publicity import pagecache, selectors
from publicity.forms import PublicRequestForm, RepairRequestForm, TrackForm
from publicity.masking import mask_personal_text
from publicity.models import NewsItem, PolicyDocument, PublicationKind
from publicity.org_panels import org_sections
from publicity.ratelimit import Refusal, request_slot_release, request_slot_take, request_standing
from publicity.sections import DESCRIPTIONS, SECTIONS, TITLES
from publicity.services.errors import PublicityError
from publicity.services.requests import (
    RequestAlreadyFiled,
    objection_file,
    repair_apply,
    repair_earliest,
    request_by_code,
)

HOME_ROWS = 5
SEARCH_ROWS = 10
# Entries per section on an organisation's page; beyond that the section's own list, searched by the code, has them all.
ORG_ROWS = 200
ARTICLES = {"policies": (PolicyDocument, _("诚信制度")), "news": (NewsItem, _("信用动态"))}


def _warn_if_cut(request, q: str) -> None:
    if selectors.term_was_cut(q):
        messages.warning(request, _("搜索词过长：仅按前 %(n)d 个字符检索。") % {"n": selectors.MAX_TERM})


def _section_or_404(section: str) -> str:
    if section not in SECTIONS:
        raise Http404
    return section


@pagecache.public_page("home", pagecache.EVERYTHING)
def home(request):
    """首页: the latest of each list, policies and news, and the search box."""
    blocks = [
        {
            "section": s,
            "title": TITLES[s],
            "description": DESCRIPTIONS[s],
            "entries": list(selectors.public_entries(s)[:HOME_ROWS]),
        }
        for s in SECTIONS
    ]
    return render(
        request,
        "publicity/home.html",
        {
            "blocks": blocks,
            "policies": list(selectors.public_articles(PolicyDocument)[:HOME_ROWS]),
            "news": list(selectors.public_articles(NewsItem)[:HOME_ROWS]),
        },
    )


@pagecache.public_page("list", lambda section: [section], params=("q", "after"))
def entry_list(request, section: str):
    """A public list with keyset pagination (``?after=<id>``) and an optional ``?q=`` filter."""
    section = _section_or_404(section)
    q = request.GET.get("q", "").strip()
    _warn_if_cut(request, q)
    qs = selectors.search_entries(section, q) if q else selectors.public_entries(section)
    page = selectors.keyset_page(qs, request.GET.get("after"))
    return render(
        request,
        "publicity/list.html",
        {
            "section": section,
            "title": TITLES[section],
            "description": DESCRIPTIONS[section],
            "page": page,
            "q": q,
            "term_too_short": bool(q) and not selectors.normalize_term(q),
        },
    )


# Keyed by the entry's own version: a change to another entry leaves this page in the cache.
@pagecache.public_page("detail", lambda section, pk: [pagecache.entry_scope(section, pk)])
def entry_detail(request, section: str, pk: int):
    section = _section_or_404(section)
    entry = selectors.public_entry(section, pk)
    if entry is None:
        if withdrawn := selectors.withdrawal(section, pk):
            # Withdrawn early: the 404 says so (after a repair, on which day, or an objection), not "page not found";
            # nothing of the withdrawn entry is shown.
            source, day = withdrawn
            return render(request, "404.html", {"withdrawn": source, "withdrawn_on": day}, status=404)
        raise Http404
    can_repair = getattr(entry, "kind", None) == PublicationKind.PENALTY
    repair_from = repair_earliest(entry) if can_repair else None
    return render(
        request,
        "publicity/detail.html",
        {
            "section": section,
            "title": TITLES[section],
            "entry": entry,
            "can_repair": can_repair,
            "repair_from": repair_from,
            # Before the minimum period has passed the button is shown disabled with the date, not as a form that
            # would be refused after it was filled in.
            "repair_open": can_repair and timezone.localdate() >= repair_from,
        },
    )


@pagecache.public_page("search", pagecache.EVERYTHING, params=("q",))
def search(request):
    """/search/?q=: name, credit code or document number, over every public list, policies and news."""
    q = request.GET.get("q", "").strip()
    _warn_if_cut(request, q)
    term = selectors.normalize_term(q)
    results = []
    if term:
        for s in SECTIONS:
            rows = list(selectors.search_entries(s, q)[: SEARCH_ROWS + 1])
            results.append(
                {"section": s, "title": TITLES[s], "entries": rows[:SEARCH_ROWS], "more": len(rows) > SEARCH_ROWS}
            )
        for key, (model, title) in ARTICLES.items():
            rows = list(selectors.search_articles(model, q)[: SEARCH_ROWS + 1])
            results.append(
                {"articles": key, "title": title, "entries": rows[:SEARCH_ROWS], "more": len(rows) > SEARCH_ROWS}
            )
    return render(
        request,
        "publicity/search.html",
        {
            "q": q,
            "term": term,
            "results": results,
            "too_short": bool(q) and not term,
            "found": any(r["entries"] for r in results),
        },
    )


def organisation(request, code: str):
    """/org/<credit code or 学校标识码>/: an organisation's public licences, penalties and list entries. Only organisations: an ID
    number is not a credit code, so natural persons have no page here."""
    code = code.strip().upper()
    try:
        kind = classify_school_or_org_code(code)
    except ValidationError:
        raise Http404 from None
    if kind == "uscc_placeholder":
        raise Http404  # the code every unlicensed 个体工商户 shares: no one organisation's page
    sections = selectors.org_entries(code)
    blocks = []
    for section, qs in sections.items():
        rows = list(qs[: ORG_ROWS + 1])  # one more than shown tells whether there are more
        blocks.append(
            {"section": section, "title": TITLES[section], "entries": rows[:ORG_ROWS], "more": len(rows) > ORG_ROWS}
        )
    entries = [e for b in blocks for e in b["entries"]]
    if not entries:
        raise Http404
    return render(
        request,
        "publicity/org.html",
        # Sections the apps above the column add (publicity.org_panels), e.g. the organisation's 信用承诺.
        {
            "code": code,
            "name": entries[0].subject_name,
            "blocks": blocks,
            "extra_sections": org_sections(request, code),
        },
    )


@pagecache.public_page("articles", [pagecache.ARTICLES], params=("after",))
def article_list(request, kind: str):
    model, title = ARTICLES[kind]
    page = selectors.keyset_page(selectors.public_articles(model).order_by("-id"), request.GET.get("after"))
    return render(request, "publicity/article_list.html", {"kind": kind, "title": title, "page": page})


@pagecache.public_page("article", [pagecache.ARTICLES])
def article_detail(request, kind: str, pk: int):
    model, title = ARTICLES[kind]
    article = get_object_or_404(selectors.public_articles(model), pk=pk)
    return render(request, "publicity/article_detail.html", {"kind": kind, "title": title, "article": article})


@require_http_methods(["GET", "POST"])
def file_request(request, section: str, pk: int, kind: str):
    """异议申诉 on any public entry, or 信用修复 on a public penalty: form with evidence, then the tracking code."""
    section = _section_or_404(section)
    entry = selectors.public_entry(section, pk)
    if entry is None or (kind == "repair" and getattr(entry, "kind", None) != PublicationKind.PENALTY):
        raise Http404
    heading = _("信用修复申请") if kind == "repair" else _("异议申诉")
    if kind == "repair" and timezone.localdate() < (earliest := repair_earliest(entry)):
        # Not yet eligible: say from when, instead of a form refused once filled in.
        context = {"entry": entry, "section": section, "title": TITLES[section], "kind": kind, "heading": heading}
        return render(request, "publicity/request_form.html", {**context, "repair_from": earliest})
    # Past the filing limit a challenge is on the form; at the ceiling nothing is accepted, and the form is not even
    # shown: the page says when to try again (publicity.ratelimit).
    standing = request_standing(request)
    if standing.refusal:
        return _limited(request, standing.refusal, heading)
    form_class = RepairRequestForm if kind == "repair" else PublicRequestForm
    if request.method == "POST" and _body_size(request) > settings.PUBLICITY_REQUEST_MAX_BYTES:
        # Files beyond the evidence (any field name) are streamed to disk too; refuse before any form sees them.
        form = form_class(request.POST, challenge=standing.challenge)
        form.too_large()
        return _request_form(request, form, entry, section, kind, heading, status=413)
    form = form_class(request.POST or None, request.FILES or None, challenge=standing.challenge)
    if request.method == "POST" and form.is_valid():
        if refusal := request_slot_take(request, challenge_solved=form.challenge_solved):
            if not refusal.challenge:
                return _limited(request, refusal, heading)
            # The limit was passed while this form was being filled in: the same submission, now with a question.
            form = form_class(request.POST, request.FILES, challenge=True)
            return _request_form(request, form, entry, section, kind, heading)
        data = form.cleaned_data
        try:
            if kind == "repair":
                req = repair_apply(
                    publication=entry,
                    applicant_name=data["applicant_name"],
                    applicant_contact=data["applicant_contact"],
                    content=data["content"],
                    evidence=data.get("evidence"),
                    commitment=data.get("commitment"),
                )
            else:
                req = objection_file(
                    target=entry,
                    applicant_name=data["applicant_name"],
                    applicant_contact=data["applicant_contact"],
                    content=data["content"],
                    evidence=data.get("evidence"),
                )
        except RequestAlreadyFiled as exc:
            # Filed before (a second press, the form sent again): that case and its code, not a second one.
            request_slot_release(request)
            messages.info(
                request, _("%(why)s请妥善保存查询码：%(code)s") % {"why": exc, "code": exc.request.tracking_code}
            )
            return HttpResponseRedirect(reverse("publicity:request-status", args=[exc.request.tracking_code]))
        except PublicityError as exc:
            request_slot_release(request)
            exc.add_to(form)
        else:
            messages.success(request, _("已受理。请妥善保存查询码：%(code)s") % {"code": req.tracking_code})
            return HttpResponseRedirect(reverse("publicity:request-status", args=[req.tracking_code]))
    return _request_form(request, form, entry, section, kind, heading)


def _request_form(request, form, entry, section: str, kind: str, heading: str, *, status: int = 200):
    return render(
        request,
        "publicity/request_form.html",
        {
            "form": form,
            "entry": entry,
            "section": section,
            "title": TITLES[section],
            "kind": kind,
            "heading": heading,
        },
        status=status,
    )


def _body_size(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _limited(request, refusal: Refusal, heading: str):
    """429 with the time the client may file again; nothing of the submission is kept."""
    retry_at = timezone.localtime(datetime.datetime.fromtimestamp(refusal.retry_at, tz=datetime.UTC))
    response = render(
        request,
        "publicity/request_limited.html",
        {
            "heading": heading,
            "global_limit": refusal.scope == "global",
            "retry_at": retry_at,
            "retry_minutes": max(1, -(-refusal.retry_after // 60)),
        },
        status=429,
    )
    response["Retry-After"] = str(refusal.retry_after)
    return response


def track(request):
    """Look up an objection or repair by tracking code."""
    form = TrackForm(request.GET or None)
    if form.is_valid():
        req = request_by_code(form.cleaned_data["code"])
        if req is not None:
            return HttpResponseRedirect(reverse("publicity:request-status", args=[req.tracking_code]))
        form.add_error("code", _("未找到该查询码对应的申请，请核对后重试。"))
    return render(request, "publicity/track.html", {"form": form})


def request_status(request, code: str):
    """The status page of one objection or repair: progress, due date and the reply; never the applicant's contact."""
    req = request_by_code(code)
    if req is None:
        raise Http404
    # The reply is the reviewer's free text on a public page: masked like the column (it may quote an ID or a mobile).
    context = {"req": req, "is_repair": req.CODE_PREFIX == "XF", "reply": mask_personal_text(req.reply)}
    return render(request, "publicity/request_status.html", context)


@pagecache.public_page("open-data")
def open_data(request):
    return render(request, "publicity/open_data.html", {"sections": [(s, TITLES[s]) for s in SECTIONS]})
