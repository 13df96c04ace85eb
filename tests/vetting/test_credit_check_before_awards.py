"""信用审查 before awards (issue 13 point 1): an award or recognition whose subject has live dishonesty is refused
at approval unless the reviewer records a reasoned override; every check and override is audited."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from core.errors import DomainError
from credit.catalog import ItemSpec
from credit.forms import form_for_item
from credit.models import Item, RecordStatus
from credit.registry import model_for_item
from credit.services import records as record_services
from credit.services.records import RecordError
from credit.services.records_bulk import records_create_bulk
from publicity.services.approvals import record_approve_and_publish
from tests.factories import create_record, record_values
from tests.factories.credit import clerk_for_item, reporting_office
from tests.factories.publicity import PublicationFactory
from vetting.models import CheckOutcome, CheckRule, CheckTrigger, CreditCheck, RuleSource
from vetting.selectors import hits_for
from vetting.services.lists import external_lists_import

pytestmark = pytest.mark.django_db

# From the catalogue, never by number: the recognition items and the 失信信息 items.
AWARD_ORG = next(i.no for i in ItemSpec.all() if i.is_recognition and not i.is_natural_person and i.publicity)
PENALTY_ORG = next(i.no for i in ItemSpec.all() if i.is_negative and i.penalty_columns and not i.is_natural_person)


def published_penalty(seq: int = 41):
    return model_for_item(PENALTY_ORG).objects.get(pk=PublicationFactory(no=PENALTY_ORG, seq=seq).record_id)


def award_for(code: str, *, status: str = "submitted", seq: int = 77):
    return create_record(AWARD_ORG, status=status, seq=seq, org_code=code)


def test_approving_an_award_for_a_subject_with_a_live_published_penalty_is_refused(reviewer):
    penalty = published_penalty()
    award = award_for(penalty.org_code)

    with pytest.raises(RecordError) as refused:
        record_approve_and_publish(record=award, user=reviewer)

    assert "credit_check_override" in refused.value.errors
    assert "信用审查" in refused.value.errors["credit_check_override"][0]
    award.refresh_from_db()
    assert award.status == RecordStatus.SUBMITTED


def test_the_reviewer_page_refusal_is_audited_and_the_override_approves_with_the_reason(reviewer, client):
    penalty = published_penalty()
    award = award_for(penalty.org_code)
    client.force_login(reviewer)
    url = reverse("credit:record-approve", args=[award.pk])

    client.post(url, {"approve": "1"})
    award.refresh_from_db()
    assert award.status == RecordStatus.SUBMITTED
    refused = CreditCheck.objects.get(record_id=award.pk, trigger=CheckTrigger.APPROVE)
    assert refused.outcome == CheckOutcome.REFUSED and refused.hit_count == 1
    assert refused.hits[0]["record_id"] == penalty.pk
    denied = AuditEvent.objects.get(object_type="vetting.creditcheck", object_id=str(refused.pk))
    assert denied.outcome == "denied" and denied.user == reviewer

    client.post(url, {"approve": "1", "credit_check_override": "处罚已整改完毕，经局务会研究同意参评。"})
    award.refresh_from_db()
    assert award.status == RecordStatus.APPROVED
    overridden = CreditCheck.objects.filter(record_id=award.pk, outcome=CheckOutcome.OVERRIDDEN).get()
    assert overridden.override_reason == "处罚已整改完毕，经局务会研究同意参评。"
    event = AuditEvent.objects.get(object_type="vetting.creditcheck", object_id=str(overridden.pk))
    assert event.outcome == "success" and event.detail["override_reason"].startswith("处罚已整改")


def test_an_award_for_a_clean_subject_is_approved_and_its_check_recorded(reviewer):
    published_penalty()
    award = create_record(AWARD_ORG, status="submitted", seq=92)
    record_approve_and_publish(record=award, user=reviewer)
    award.refresh_from_db()
    assert award.status == RecordStatus.APPROVED
    assert CreditCheck.objects.get(record_id=award.pk, trigger=CheckTrigger.APPROVE).outcome == CheckOutcome.CLEAR


def test_a_penalty_past_its_publicity_no_longer_counts():
    penalty = published_penalty()
    far = timezone.localdate() + datetime.timedelta(days=365 * 4)
    assert hits_for([penalty.org_code])
    assert hits_for([penalty.org_code], today=far) == {}


def test_a_record_rule_counts_its_items_records_within_its_look_back_and_publicity_only():
    penalty = published_penalty()
    name = {type(penalty).SUBJECT_NAME_FIELD: penalty.subject_name}
    # Another decision about the same school, a day earlier (the same day and kind would be the same record).
    day = penalty.business_date - datetime.timedelta(days=1)
    unpublished = create_record(PENALTY_ORG, status="approved", seq=43, day=day, org_code=penalty.org_code, **name)
    code = penalty.org_code

    def found(**kwargs):
        return [(hit.record_id, hit.label, hit.until) for hit in hits_for([code], **kwargs).get(code, [])]

    publication_until = penalty.publication.valid_until.isoformat()
    item_name = Item.objects.get(no=PENALTY_ORG).name
    assert found() == [(penalty.pk, item_name, publication_until)]  # a penalty counts while it is published only

    later = max(penalty.business_date, unpublished.business_date) + datetime.timedelta(days=2 * 366)
    assert penalty.publication.valid_until < later <= min(penalty.validity_end, unpublished.validity_end)
    assert found(today=later) == []  # its publication has ended

    rule = CheckRule.objects.get(source=RuleSource.RECORDS, item__no=PENALTY_ORG)
    rule.within_publicity = False
    rule.save()
    assert {record_id for record_id, _label, _until in found()} == {penalty.pk, unpublished.pk}
    unpublished.refresh_from_db()
    assert (unpublished.pk, item_name, unpublished.validity_end.isoformat()) in found()
    assert {record_id for record_id, _label, _until in found(today=later)} == {penalty.pk, unpublished.pk}
    rule.lookback_years = 1
    rule.save()
    assert found(today=later) == []  # older than the rule looks back

    rule.enabled = False
    rule.lookback_years = 0
    rule.save()
    assert found() == []


def test_entering_and_submitting_an_award_checks_it(reviewer):
    penalty = published_penalty()
    award = award_for(penalty.org_code)
    triggers = dict(CreditCheck.objects.filter(record_id=award.pk).values_list("trigger", "outcome"))
    assert triggers == {CheckTrigger.CREATE: CheckOutcome.HIT, CheckTrigger.SUBMIT: CheckOutcome.HIT}


def test_an_imported_award_is_checked_once_the_import_commits(django_capture_on_commit_callbacks):
    penalty = published_penalty()
    item = Item.objects.get(no=AWARD_ORG)
    clerk = clerk_for_item(AWARD_ORG)
    model = model_for_item(AWARD_ORG)
    form = form_for_item(AWARD_ORG)(
        data={**record_values(AWARD_ORG, 93), "org_code": penalty.org_code},
        instance=model(item=item, office=reporting_office(AWARD_ORG), created_by=clerk, updated_by=clerk),
    )
    assert form.is_valid(), form.errors
    with django_capture_on_commit_callbacks(execute=True):
        [record] = records_create_bulk(
            item=item, office=reporting_office(AWARD_ORG), user=clerk, records=[form.instance], submit=True
        )
    check = CreditCheck.objects.get(record_id=record.pk)
    assert check.trigger == CheckTrigger.IMPORT and check.outcome == CheckOutcome.HIT


def _csv(rows: list[str]) -> bytes:
    return ("名称,统一社会信用代码或身份证号码,名单名称,列入依据,列入日期,截止日期\n" + "\n".join(rows)).encode()


def test_an_external_list_hit_blocks_an_award(reviewer):
    award = create_record(AWARD_ORG, status="submitted", seq=94)
    external_lists_import(
        data=_csv([f"某单位,{award.org_code},省级严重失信主体名单,法院判决,2025-01-01,"]),
        file_name="l.csv",
        user=reviewer,
    )

    with pytest.raises(RecordError) as refused:
        record_services.record_approve(record=award, user=reviewer)

    assert "省级严重失信主体名单" in refused.value.errors["credit_check_override"][0]


def test_an_external_list_import_replaces_that_list_only_and_encrypts_id_numbers(reviewer):
    from credit.demo import credit_code, person_id

    external_lists_import(
        data=_csv(
            [f"甲,{credit_code(1)},名单一,,,", f"张三,{person_id(2)},名单一,,,", f"乙,{credit_code(3)},名单二,,,"]
        ),
        file_name="a.csv",
        user=reviewer,
    )
    external_lists_import(data=_csv([f"丙,{credit_code(4)},名单一,,,"]), file_name="b.csv", user=reviewer)

    assert set(hits_for([credit_code(1), person_id(2), credit_code(3), credit_code(4)])) == {
        credit_code(3),
        credit_code(4),
    }
    with connection.cursor() as cursor:
        cursor.execute("SELECT identifier FROM vetting_externallistentry")
        assert all(value.startswith("enc1:") for (value,) in cursor.fetchall())
    assert AuditEvent.objects.filter(object_type="vetting.externallist", action="import").count() == 3


def test_a_bad_external_list_row_imports_nothing_and_names_line_and_column(reviewer):
    with pytest.raises(DomainError) as refused:
        external_lists_import(data=_csv(["甲,123,名单一,,,"]), file_name="a.csv", user=reviewer)
    assert "第2行 代码" in refused.value.errors["file"][0]


def test_record_page_shows_hits_with_links_and_the_override_field_to_reviewers_only(reviewer, client):
    penalty = published_penalty()
    award = award_for(penalty.org_code)
    client.force_login(reviewer)
    page = client.get(reverse("credit:record-detail", args=[award.pk])).content.decode()
    assert 'name="credit_check_override"' in page
    assert reverse("credit:record-detail", args=[penalty.pk]) in page
    assert "信用审查记录" in page

    client.force_login(award.created_by)
    page = client.get(reverse("credit:record-detail", args=[award.pk])).content.decode()
    assert "credit_check_override" not in page and "信用审查记录" not in page


def test_the_review_queue_marks_an_award_with_hits(reviewer, client):
    penalty = published_penalty()
    award_for(penalty.org_code)
    client.force_login(reviewer)
    page = client.get(reverse("credit:review")).content.decode()
    assert "信用审查：失信 1 条" in page


def test_bulk_approval_leaves_a_blocked_award_submitted(reviewer, client):
    penalty = published_penalty()
    award = award_for(penalty.org_code)
    client.force_login(reviewer)
    client.post(reverse("credit:review"), {"action": "approve", "records": [str(award.pk)]})
    award.refresh_from_db()
    assert award.status == RecordStatus.SUBMITTED
    assert CreditCheck.objects.filter(record_id=award.pk, outcome=CheckOutcome.REFUSED).exists()


def test_the_api_refuses_without_override_and_approves_with_one(reviewer, client):
    penalty = published_penalty()
    award = award_for(penalty.org_code)
    client.force_login(reviewer)
    url = f"/api/v1/records/{award.pk}/approve/"
    refused = client.post(url, {}, content_type="application/json")
    assert refused.status_code == 400 and "credit_check_override" in refused.json()
    assert CreditCheck.objects.filter(record_id=award.pk, outcome=CheckOutcome.REFUSED).exists()
    done = client.post(url, {"credit_check_override": "经研究同意"}, content_type="application/json")
    assert done.status_code == 200, done.content


def test_the_rules_are_a_table_staff_can_read(clerk, client):
    client.force_login(clerk)
    page = client.get(reverse("vetting:rules")).content.decode()
    for item in ItemSpec.all():
        if item.is_negative:
            assert item.name in page
    assert "黑名单" in page and "外部失信名单" in page
