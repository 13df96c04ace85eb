"""What the credit check adds to credit's record page and review queue (``credit.panels``): for a reviewer deciding an
award or recognition, the live dishonesty of its subject with links, and the override-reason field of the approve
form; the record's past checks; a badge on the queue's rows. Clerks see none of it: a hit may be another office's
record or an external list, which is the reviewers' to weigh."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.roles import Role
from credit.catalog import ItemSpec
from credit.models import RecordStatus, Subject, SubjectKind
from credit.panels import register_record_badges, register_record_panel, register_subject_panel
from publicity.org_panels import register_org_section
from vetting.models import Commitment, CreditEvaluation, RuleSource
from vetting.selectors import hits_for, is_recognition, record_checks, record_hits
from vetting.services.checks import OVERRIDE_FIELD


def hit_link(hit: dict) -> str:
    """Where a reviewer reads a hit: the record, the black list, or the external list."""
    if hit.get("source") == RuleSource.RECORDS and hit.get("record_id"):
        return reverse("credit:record-detail", args=[hit["record_id"]])
    if hit.get("source") == RuleSource.BLACK_LIST:
        return reverse("publicity-workspace:blacklist")
    if hit.get("source") == RuleSource.EXTERNAL:
        return reverse("vetting:lists")
    return ""


def _with_links(hits) -> list[dict]:
    return [{**h, "url": hit_link(h)} for h in (x if isinstance(x, dict) else x.as_json() for x in hits)]


def _reviewer(request) -> bool:
    return getattr(request.user, "role", "") == Role.REVIEWER


def _approve(request, record, **kwargs) -> dict | None:
    if not (_reviewer(request) and record.status == RecordStatus.SUBMITTED and is_recognition(record)):
        return None
    return {
        "credit_hits": _with_links(record_hits(record)),
        "override_field": OVERRIDE_FIELD,
        "override_value": request.POST.get(OVERRIDE_FIELD, "") if request.method == "POST" else "",
    }


def _checks(request, record, **kwargs) -> dict | None:
    if not (_reviewer(request) and is_recognition(record)):
        return None
    checks = list(record_checks(record)[:20])
    for check in checks:
        check.linked_hits = _with_links(check.hits)
    return {"credit_checks": checks}


def _badges(request, records) -> dict[int, list[str]]:
    """ "信用审查：失信 N 条" on the reviewer's queue rows of awards whose subject has live dishonesty (one look-up)."""
    if not _reviewer(request):
        return {}
    wanted = [r for r in records if r.subject_id and ItemSpec.get(r.item.no).is_recognition]
    if not wanted:
        return {}
    identifiers = dict(Subject.objects.filter(pk__in={r.subject_id for r in wanted}).values_list("pk", "identifier"))
    found = hits_for(identifiers.values())
    out = {}
    for record in wanted:
        hits = found.get(identifiers.get(record.subject_id), [])
        if hits:
            out[record.pk] = [_("信用审查：失信 %(n)d 条") % {"n": len(hits)}]
    return out


def _org_commitments(request, code: str) -> dict | None:
    """The organisation's 信用承诺 on its public page (nothing when it has none)."""
    commitments = list(Commitment.objects.filter(subject_code=code).select_related("breach_record__item")[:100])
    return {"commitments": commitments} if commitments else None


def _org_evaluation(request, code: str) -> dict | None:
    """The organisation's credit grade on its public page, when ``CREDIT_EVALUATION_PUBLIC`` is on and it is graded
    (a private school or training institution): the grade and its date, never the reasons."""
    if not settings.CREDIT_EVALUATION_PUBLIC:
        return None
    evaluation = (
        CreditEvaluation.objects.filter(subject__kind=SubjectKind.LEGAL, subject__identifier=code)
        .only("grade", "computed_at")
        .first()
    )
    return {"evaluation": evaluation} if evaluation else None


def _person_report(request, subject) -> dict | None:
    """The link to a natural person's 信用报告 on the staff subject page (organisations' reports are public)."""
    if subject.kind != SubjectKind.NATURAL:
        return None
    return {"report_url": reverse("vetting:person-report", args=[subject.pk])}


def _subject_evaluation(request, subject) -> dict | None:
    """The organisation's credit evaluation with its reasons on the staff subject page, for reviewers (the reasons
    count every office's records; a clerk sees only their offices'). Nothing when it is not graded."""
    if not _reviewer(request) or subject.kind != SubjectKind.LEGAL:
        return None
    evaluation = CreditEvaluation.objects.filter(subject=subject).first()
    return {"evaluation": evaluation, "public": settings.CREDIT_EVALUATION_PUBLIC} if evaluation else None


def register() -> None:
    register_subject_panel(
        name="vetting-evaluation", template="vetting/subject_evaluation.html", context=_subject_evaluation
    )
    register_subject_panel(name="vetting-person-report", template="vetting/subject_report.html", context=_person_report)
    register_org_section(name="vetting-evaluation", template="vetting/org_evaluation.html", context=_org_evaluation)
    register_org_section(name="vetting-commitments", template="vetting/org_commitments.html", context=_org_commitments)
    register_record_panel(
        name="vetting-approve", slot="approve", template="vetting/record_approve.html", context=_approve, order=50
    )
    register_record_panel(name="vetting-checks", slot="cards", template="vetting/record_checks.html", context=_checks)
    register_record_badges(name="vetting", badges=_badges)
