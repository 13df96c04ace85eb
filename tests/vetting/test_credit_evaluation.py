"""信用评价 of organisations (issue 13 point 6): a score and grade from the rule table, recomputed when a record
changes and nightly, shown to reviewers with the reasons; not public."""

from __future__ import annotations

import pytest
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


def test_an_approved_penalty_lowers_the_score_with_its_reason_and_revoking_it_restores_it(reviewer):
    record = model_for_item(PENALTY_ORG).objects.get(pk=PublicationFactory(no=PENALTY_ORG, seq=95).record_id)
    evaluation = CreditEvaluation.objects.get(subject_id=record.subject_id)
    rule = EvaluationRule.objects.get(item__no=PENALTY_ORG)
    assert evaluation.score == 100 + rule.points and evaluation.grade == "B"
    assert evaluation.reasons == [{"rule": str(rule), "count": 1, "points": rule.points}]

    record_services.record_revoke(record=record, user=reviewer, reason="原决定已撤销。")
    assert CreditEvaluation.objects.get(subject_id=record.subject_id).score == 100


def test_the_sysadmins_weights_apply_at_the_nightly_recompute(reviewer):
    record = create_record(AWARD_ORG, status="approved", seq=96, reviewer=reviewer)
    EvaluationRule.objects.filter(item__no=AWARD_ORG).update(points=-45)
    assert CreditEvaluation.objects.get(subject_id=record.subject_id).score == 100  # capped at 100 before
    recompute_evaluations()
    evaluation = CreditEvaluation.objects.get(subject_id=record.subject_id)
    assert evaluation.score == 55 and evaluation.grade == "D"


def test_reviewers_list_organisations_by_grade_and_the_public_cannot(reviewer, clerk, client):
    record = model_for_item(PENALTY_ORG).objects.get(pk=PublicationFactory(no=PENALTY_ORG, seq=97).record_id)
    client.force_login(reviewer)
    page = client.get(reverse("vetting:evaluations"), {"grade": "B"}).content.decode()
    assert record.org_name in page and ItemSpec.get(PENALTY_ORG).name in page
    assert record.org_name not in client.get(reverse("vetting:evaluations"), {"grade": "A"}).content.decode()
    client.force_login(clerk)
    assert client.get(reverse("vetting:evaluations")).status_code == 403
    client.logout()
    assert "评价" not in client.get(f"/org/{record.org_code}/").content.decode()
