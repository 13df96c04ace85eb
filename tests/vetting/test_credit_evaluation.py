"""信用评价 of private schools and training institutions (issue 13 point 6): a score and grade from the rule table,
recomputed when a record changes and nightly, shown to reviewers with the reasons; other organisations are not graded;
the grade alone is public only when CREDIT_EVALUATION_PUBLIC is on."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse

from credit.catalog import ItemSpec
from credit.registry import model_for_item
from credit.services import records as record_services
from tests.factories import create_record
from tests.factories.publicity import PublicationFactory
from vetting.models import CreditEvaluation, EvaluationRule
from vetting.tasks import recompute_evaluations

pytestmark = pytest.mark.django_db

PENALTY_ORG = next(i.no for i in ItemSpec.all() if i.is_negative and i.penalty_columns and not i.is_natural_person)
AWARD_ORG = next(i.no for i in ItemSpec.all() if i.is_recognition and not i.is_natural_person and i.publicity)
# The institution registry item whose 办学类型 tells a private school or training institution (catalogue flag).
REGISTRY = next(i for i in ItemSpec.all() if i.evaluation_scope)
REGISTRY_TYPE = next(iter(REGISTRY.evaluation_scope))
# An item whose every record is about a private institution (e.g. 民办 tutoring institutions' annual inspections).
PRIVATE_ONLY = next(i for i in ItemSpec.all() if i.evaluation_scope == {})


def _registered(record, reviewer, school_type="民办学校"):
    """An approved registry record of ``record``'s organisation with ``school_type``."""
    return create_record(
        REGISTRY.no,
        status="approved",
        reviewer=reviewer,
        **{
            REGISTRY.subject_id_field: typed(record).org_code,
            REGISTRY.subject_name_field: typed(record).org_name,
            REGISTRY_TYPE: school_type,
        },
    )


def typed(record):
    return model_for_item(record.item.no).objects.get(pk=record.pk)


def _penalised(seq, reviewer, school_type="民办学校"):
    record = model_for_item(PENALTY_ORG).objects.get(pk=PublicationFactory(no=PENALTY_ORG, seq=seq).record_id)
    if school_type:
        _registered(record, reviewer, school_type)
    return record


def test_an_approved_penalty_lowers_the_score_with_its_reason_and_revoking_it_restores_it(reviewer):
    record = _penalised(95, reviewer)
    evaluation = CreditEvaluation.objects.get(subject_id=record.subject_id)
    rule = EvaluationRule.objects.get(item__no=PENALTY_ORG)
    assert evaluation.score == 100 + rule.points and evaluation.grade == "B"
    assert evaluation.reasons == [{"rule": str(rule), "count": 1, "points": rule.points}]

    record_services.record_revoke(record=record, user=reviewer, reason="原决定已撤销。")
    assert CreditEvaluation.objects.get(subject_id=record.subject_id).score == 100


def test_the_sysadmins_weights_apply_at_the_nightly_recompute(reviewer):
    record = create_record(AWARD_ORG, status="approved", seq=96, reviewer=reviewer)
    _registered(record, reviewer, "培训机构")
    EvaluationRule.objects.filter(item__no=AWARD_ORG).update(points=-45)
    assert CreditEvaluation.objects.get(subject_id=record.subject_id).score == 100  # capped at 100 before
    recompute_evaluations()
    evaluation = CreditEvaluation.objects.get(subject_id=record.subject_id)
    assert evaluation.score == 55 and evaluation.grade == "D"


def test_reviewers_list_organisations_by_grade_and_the_public_cannot(reviewer, clerk, client):
    record = _penalised(97, reviewer)
    client.force_login(reviewer)
    page = client.get(reverse("vetting:evaluations"), {"grade": "B"}).content.decode()
    assert record.org_name in page and ItemSpec.get(PENALTY_ORG).name in page
    assert record.org_name not in client.get(reverse("vetting:evaluations"), {"grade": "A"}).content.decode()
    client.force_login(clerk)
    assert client.get(reverse("vetting:evaluations")).status_code == 403
    client.logout()
    assert "评价" not in client.get(f"/org/{record.org_code}/").content.decode()


def test_a_public_school_is_not_graded_and_loses_a_stale_grade(reviewer):
    public = _penalised(98, reviewer, school_type=None)
    assert not CreditEvaluation.objects.filter(subject_id=public.subject_id).exists()
    _registered(public, reviewer, "普通高中")
    assert not CreditEvaluation.objects.filter(subject_id=public.subject_id).exists()
    CreditEvaluation.objects.create(subject_id=public.subject_id, score=50, grade="D")  # graded before the scope
    recompute_evaluations()
    assert not CreditEvaluation.objects.filter(subject_id=public.subject_id).exists()


def test_a_training_institution_or_a_private_institutions_inspection_brings_the_organisation_in(reviewer):
    training = _penalised(99, reviewer, school_type="艺术类校外培训机构")
    assert CreditEvaluation.objects.get(subject_id=training.subject_id).grade == "B"
    inspected = create_record(PRIVATE_ONLY.no, status="approved", reviewer=reviewer, seq=93)
    assert CreditEvaluation.objects.get(subject_id=inspected.subject_id).score == 100


def test_the_grade_shows_on_the_public_org_page_only_when_the_setting_is_on(reviewer, client):
    record = _penalised(94, reviewer)
    url = f"/org/{typed(record).org_code}/"
    assert 'id="evaluation-grade"' not in client.get(url).content.decode()
    with override_settings(CREDIT_EVALUATION_PUBLIC=True):
        page = client.get(url).content.decode()
    assert 'id="evaluation-grade">B<' in page
    rule = str(EvaluationRule.objects.get(item__no=PENALTY_ORG))
    assert rule not in page and "扣" not in page.split('id="evaluation"')[1].split("</section>")[0]


def test_the_reviewers_subject_page_shows_the_grade_with_its_reasons_and_a_clerks_does_not(reviewer, client):
    record = _penalised(92, reviewer)
    rule = str(EvaluationRule.objects.get(item__no=PENALTY_ORG))
    client.force_login(reviewer)
    page = client.get(f"/workspace/subjects/{record.subject_id}/").content.decode()
    assert 'id="subject-evaluation-grade"><strong>B<' in page and f"{rule} ×1" in page
    client.force_login(record.created_by)
    page = client.get(f"/workspace/subjects/{record.subject_id}/").content.decode()
    assert "subject-evaluation" not in page


def test_an_ungraded_organisation_has_no_evaluation_card(reviewer, client):
    record = _penalised(91, reviewer, school_type=None)
    client.force_login(reviewer)
    assert "subject-evaluation" not in client.get(f"/workspace/subjects/{record.subject_id}/").content.decode()
