"""Credit evaluation (信用评价) of private schools and training institutions: a score from base 100 by the rule table (``EvaluationRule``) and a
grade A/B/C/D by the thresholds in ``CREDIT_EVALUATION_GRADES``, with the reasons. Computed set-wise for any number of
organisations (a few aggregate queries), on each change of their records and nightly (``vetting.tasks``).
Only the organisations the catalogue's ``evaluation_scope`` marks (a record of an item about 民办 institutions, or an
institution record whose 办学类型 says 民办/培训) are graded; other organisations get no evaluation (a stale one is
deleted). Staff see the reasons; the grade alone is public when ``CREDIT_EVALUATION_PUBLIC`` is on."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from credit.catalog import ItemSpec
from credit.models import Record, RecordStatus, Subject, SubjectKind
from credit.registry import model_for_item
from credit.services.records import validity_end_for
from publicity.selectors import BLACK_LIST, public_entries
from vetting.models import Commitment, CommitmentStatus, CreditEvaluation, EvaluationFactor, EvaluationRule

BASE_SCORE = 100


def grade_for(score: int) -> str:
    for threshold, grade in settings.CREDIT_EVALUATION_GRADES:
        if score >= threshold:
            return grade
    return settings.CREDIT_EVALUATION_LOWEST_GRADE


def _since(today: datetime.date, years: int) -> datetime.date | None:
    return validity_end_for(today, -years) if years else None


def _counts(rule: EvaluationRule, subject_ids: list[int], codes: dict[int, str], today) -> dict[int, int]:
    since = _since(today, rule.window_years)
    if rule.factor == EvaluationFactor.RECORDS and rule.item_id:
        qs = Record.objects.filter(
            subject_id__in=subject_ids, item_id=rule.item_id, status=RecordStatus.APPROVED, validity_end__gte=today
        )
        if since:
            qs = qs.filter(business_date__gte=since)
        return dict(qs.values_list("subject_id").annotate(n=Count("pk")).values_list("subject_id", "n"))
    if rule.factor == EvaluationFactor.BLACK_LIST:
        qs = public_entries(BLACK_LIST, today=today).filter(subject_id__in=subject_ids)
        if since:
            qs = qs.filter(listed_on__gte=since)
        return dict(qs.order_by().values_list("subject_id").annotate(n=Count("pk")).values_list("subject_id", "n"))
    if rule.factor == EvaluationFactor.BROKEN_COMMITMENT:
        by_code = {code: pk for pk, code in codes.items()}
        qs = Commitment.objects.filter(subject_code__in=list(by_code), status=CommitmentStatus.BROKEN)
        if since:
            qs = qs.filter(made_on__gte=since)
        rows = qs.order_by().values_list("subject_code").annotate(n=Count("pk")).values_list("subject_code", "n")
        return {by_code[code]: n for code, n in rows}
    return {}


# A record that still says what the organisation is: approved, or approved and since expired (an expired registry
# record does not make a private school public).
SCOPE_STATUSES = (RecordStatus.APPROVED, RecordStatus.EXPIRED)


def in_evaluation_scope(subject_ids: Iterable[int]) -> set[int]:
    """The organisations among ``subject_ids`` the evaluation grades: private schools and training institutions, as
    the catalogue's ``evaluation_scope`` items' records identify them (one query per such item)."""
    subject_ids = list(subject_ids)
    found: set[int] = set()
    for spec in ItemSpec.all():
        if spec.evaluation_scope is None:
            continue
        qs = model_for_item(spec.no).objects.filter(subject_id__in=subject_ids, status__in=SCOPE_STATUSES)
        if spec.evaluation_scope:
            match = Q()
            for field, words in spec.evaluation_scope.items():
                for word in words:
                    match |= Q(**{f"{field}__contains": word})
            qs = qs.filter(match)
        found.update(qs.values_list("subject_id", flat=True).distinct())
    return found


@transaction.atomic
def evaluations_compute(*, subject_ids: Iterable[int] | None = None, today: datetime.date | None = None) -> int:
    """(Re)compute the evaluation of the given organisations (every organisation with a record when None); those
    outside the evaluation's scope lose any evaluation they had. Returns how many were graded."""
    today = today or timezone.localdate()
    subjects = Subject.objects.filter(kind=SubjectKind.LEGAL)
    subjects = (
        subjects.filter(pk__in=list(subject_ids)) if subject_ids is not None else subjects.filter(records__isnull=False)
    )
    codes = dict(subjects.distinct().values_list("pk", "identifier"))
    graded = in_evaluation_scope(codes)
    CreditEvaluation.objects.filter(subject_id__in=[pk for pk in codes if pk not in graded]).delete()
    codes = {pk: code for pk, code in codes.items() if pk in graded}
    if not codes:
        return 0
    ids = list(codes)
    reasons: dict[int, list[dict]] = defaultdict(list)
    scores = dict.fromkeys(ids, BASE_SCORE)
    for rule in EvaluationRule.objects.filter(enabled=True).select_related("item"):
        for subject_id, n in _counts(rule, ids, codes, today).items():
            counted = min(n, rule.cap) if rule.cap else n
            if not counted:
                continue
            scores[subject_id] += rule.points * counted
            reasons[subject_id].append({"rule": str(rule), "count": counted, "points": rule.points * counted})
    now = timezone.now()
    CreditEvaluation.objects.filter(subject_id__in=ids).delete()
    CreditEvaluation.objects.bulk_create(
        [
            CreditEvaluation(
                subject_id=pk,
                score=max(0, min(BASE_SCORE, scores[pk])),
                grade=grade_for(max(0, min(BASE_SCORE, scores[pk]))),
                reasons=reasons[pk],
                computed_at=now,
            )
            for pk in ids
        ],
        batch_size=1000,
    )
    return len(ids)
