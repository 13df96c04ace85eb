"""Penalty publicity periods come from the rule table the system admin keeps (NDRC Order No. 58 as implemented
locally): the default end is the minimum the rule allows, a sector rule raises it to a year, several categories take
the longest, and a reviewer choosing another end within the rule gives a reason."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from publicity.models import PublicityPeriodRule
from publicity.services.errors import PublicityError
from publicity.services.publications import add_months, publication_publish
from tests.factories.credit import days_ago

pytestmark = pytest.mark.django_db

PENALTY_VALUES = {"penalty_basis": "《中华人民共和国教师法》第三十七条"}


def _publish(build, *, category="警告", **kwargs):
    record = build.record(8, day=days_ago(5))
    return publication_publish(
        record=record, user=build.reviewer, penalty_category=category, **PENALTY_VALUES, **kwargs
    )


def test_rules_are_seeded_for_every_category_at_three_months_to_three_years():
    rule = PublicityPeriodRule.objects.get(penalty_category="警告", severity="", sector="")
    assert (rule.min_months, rule.max_months) == (3, 36)
    assert PublicityPeriodRule.objects.get(penalty_category="", sector="消防").min_months == 12


def test_default_period_is_the_category_minimum(build):
    pub = _publish(build)
    assert pub.publicity_end == add_months(pub.decision_date, 3)


def test_sector_rule_raises_the_minimum_to_a_year(build):
    pub = _publish(build, sector="消防")
    assert pub.publicity_end == add_months(pub.decision_date, 12)


def test_several_categories_take_the_longest(build):
    PublicityPeriodRule.objects.filter(penalty_category="罚款", severity="", sector="").update(min_months=6)
    assert _publish(build).publicity_end == add_months(days_ago(5), 3)
    pub = _publish(build, other_categories=["罚款"])
    assert pub.publicity_end == add_months(pub.decision_date, 6)


def test_a_later_end_needs_a_reason_and_stays_within_the_rule(build):
    end = add_months(days_ago(5), 12)
    with pytest.raises(PublicityError) as exc:
        _publish(build, publicity_end=end)
    assert "period_reason" in exc.value.errors
    assert _publish(build, publicity_end=end, period_reason="情节较重").publicity_end == end
    with pytest.raises(PublicityError) as exc:
        _publish(build, publicity_end=add_months(days_ago(5), 37), period_reason="x")
    assert "publicity_end" in exc.value.errors


def test_an_end_shorter_than_the_sector_minimum_is_refused(build):
    with pytest.raises(PublicityError) as exc:
        _publish(build, sector="特种设备", publicity_end=add_months(days_ago(5), 6), period_reason="x")
    assert "publicity_end" in exc.value.errors


def test_late_publication_is_shown_for_the_minimum_from_today(build):
    record = build.record(8, day=days_ago(200))
    pub = publication_publish(record=record, user=build.reviewer, penalty_category="警告", **PENALTY_VALUES)
    assert pub.publicity_end == add_months(days_ago(0), 3)


def test_publish_page_shows_the_computed_period(build, client):
    record = build.record(8, day=days_ago(5))
    client.force_login(build.reviewer)
    html = client.get(f"/workspace/publicity/publish/{record.pk}/").content.decode()
    assert "按规则计算的公示期" in html and add_months(record.business_date, 3).isoformat() in html


def test_sysadmin_edits_a_rule_in_the_admin_audited_and_with_history(client, sysadmin):
    client.force_login(sysadmin)
    rule = PublicityPeriodRule.objects.get(penalty_category="罚款", severity="", sector="")
    url = reverse("admin:publicity_publicityperiodrule_change", args=[rule.pk])
    form = {"penalty_category": "罚款", "severity": "", "sector": "", "min_months": 6, "max_months": 36, "basis": "x"}
    assert client.post(url, form).status_code == 302
    rule.refresh_from_db()
    latest = rule.history.latest()
    assert rule.min_months == 6 and (latest.min_months, latest.history_user) == (6, sysadmin)
    assert AuditEvent.objects.filter(object_type="publicity.publicityperiodrule", object_id=str(rule.pk)).exists()
    # Outside the envelope of the rule (3 … 36 months): refused with a Chinese message naming the field.
    response = client.post(url, {**form, "min_months": 2})
    assert response.status_code == 200 and "公示期应在 3 至 36 个月之间" in response.content.decode()


def test_reviewer_cannot_edit_the_rules(client, reviewer):
    client.force_login(reviewer)
    assert client.get(reverse("admin:publicity_publicityperiodrule_changelist")).status_code in (302, 403)
