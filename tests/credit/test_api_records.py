"""The credit REST API: items, office-scoped records with per-field Chinese messages, transitions, due dates."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from credit.catalog import ItemSpec, load_catalog
from credit.models import (
    ChangeStatus,
    EventAction,
    Item,
    ItemField,
    Office,
    Record,
    RecordChange,
    RecordEvent,
    RecordStatus,
)
from tests.factories import clerk_of, create_record, record_values

pytestmark = pytest.mark.django_db


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


# --- items ----------------------------------------------------------------------------------------------------


def test_items_list_equals_catalog_field_names_in_order(clerk):
    catalog = load_catalog()
    body = api(clerk).get("/api/v1/items/").json()
    assert [i["no"] for i in body] == [item.no for item in ItemSpec.all()]
    for item, spec in zip(body, catalog["items"], strict=True):
        assert [f["name"] for f in item["fields"]] == [f["name"] for f in spec["fields"]]
        assert [f["key"] for f in item["fields"]] == list(ItemSpec.get(item["no"]).keys)
        assert set(item["fields"][0]) >= {"key", "name", "type", "required", "values"}


def test_items_carry_every_annex1_attribute_as_the_catalog(clerk):
    catalog = {i["no"]: i for i in load_catalog()["items"]}
    for item in api(clerk).get("/api/v1/items/").json():
        spec = catalog[item["no"]]
        for attr in ("name", "subject_type", "info_category", "sharing_scope", "validity", "offices_text"):
            assert item[attr] == spec[attr], (item["no"], attr)
        assert item["deadline_text"] == spec["deadline_text"]
        assert item["deadline"]["kind"] == spec["deadline"]["kind"]
        assert item["deadline"]["days"] == spec["deadline"].get("days")
        codes = [o["code"] for o in item["offices"]]
        if isinstance(spec["offices"], list):
            assert codes == spec["offices"] and item["any_office"] is False
        else:  # items 6 and 10: whichever office holds the information
            assert codes == [] and item["any_office"] is True
        for field, field_spec in zip(item["fields"], spec["fields"], strict=True):
            assert field["type"] == field_spec["type"] and field["required"] == field_spec["required"]
            assert field["values"] == field_spec.get("values", [])


def test_due_date_api_skips_spring_festival_and_counts_adjusted_saturdays(clerk):
    body = api(clerk).get("/api/v1/workdays/due-date/?start=2026-02-12&days=7").json()
    assert body == {"due": "2026-02-28", "provisional": False}
    late_december = api(clerk).get("/api/v1/workdays/due-date/?start=2026-12-28&days=7")
    assert late_december.status_code == 200 and late_december.json()["provisional"] is True


def test_items_need_authentication():
    assert api().get("/api/v1/items/").status_code in (401, 403)


# --- create ---------------------------------------------------------------------------------------------------


def test_create_valid_record(clerk):
    response = api(clerk).post("/api/v1/items/8/records/", record_values(8), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "draft" and body["office"] == "zuren" and body["item"] == 8
    assert body["business_date"] == body["penalty_date"]
    assert body["due_date"] and "due_date_provisional" in body
    assert RecordEvent.objects.filter(record_id=body["id"], action=EventAction.CREATE).count() == 1


def test_create_invalid_record_answers_a_chinese_message_per_field(clerk):
    data = {**record_values(8), "id_number": "110105194912310021", "name": "张3", "penalty_date": "2026-13-01"}
    response = api(clerk).post("/api/v1/items/8/records/", data, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert set(errors) >= {"id_number", "name", "penalty_date"}
    assert errors["id_number"][0].startswith("身份证号")
    assert "校验位错误" in errors["id_number"][0]
    assert "姓名" in errors["name"][0]
    assert not Record.objects.exists()


def test_an_impossible_day_is_refused_for_what_is_wrong_with_it_on_its_field(clerk):
    """2026/2/30 follows the format; the message says February 2026 has no 30th, naming the field, as the import
    does (it said “日期格式应为 YYYY-MM-DD”, which the clerk had followed)."""
    response = api(clerk).post(
        "/api/v1/items/8/records/", {**record_values(8), "penalty_date": "2026/2/30"}, format="json"
    )
    assert response.status_code == 400
    message = response.json()["penalty_date"][0]
    assert message.startswith("处罚日期") and "2026年2月没有30日（该月只有 28 天）" in message
    assert "格式" not in message
    assert not Record.objects.exists()


def test_id_number_with_x_check_char_is_accepted(clerk):
    data = {**record_values(1), "id_number": "11010519491231002X", "sex": "女"}
    response = api(clerk).post("/api/v1/items/1/records/", data, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["id_number"] == "11010519491231002X"


def test_lowercase_x_is_normalised(clerk):
    data = {**record_values(8), "id_number": "11010519491231002x"}
    response = api(clerk).post("/api/v1/items/8/records/", data, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["id_number"] == "11010519491231002X"


def test_sex_mismatch_is_refused(clerk):
    data = {**record_values(1), "id_number": "11010519491231002X", "sex": "男"}
    response = api(clerk).post("/api/v1/items/1/records/", data, format="json")
    assert response.status_code == 400
    assert "sex" in response.json()
    assert "性别" in response.json()["sex"][0]


def test_credit_code_accepted_and_wrong_check_char_refused_naming_the_field():
    yijiao = clerk_of("yijiao")
    good = {**record_values(2), "org_code": "91350100M000100Y43"}
    assert api(yijiao).post("/api/v1/items/2/records/", good, format="json").status_code == 201
    bad = {**record_values(2), "org_code": "91350100M000100Y44"}
    response = api(yijiao).post("/api/v1/items/2/records/", bad, format="json")
    assert response.status_code == 400
    message = response.json()["org_code"][0]
    label = ItemField.objects.get(item__no=2, key="org_code").name
    assert message.startswith(label) and "校验位错误" in message


def test_unknown_field_key_is_refused(clerk):
    response = api(clerk).post("/api/v1/items/8/records/", {**record_values(8), "colour": "red"}, format="json")
    assert response.status_code == 400
    assert "colour" in response.json()


def test_clerk_cannot_create_an_item_their_office_does_not_own(clerk_out):
    response = api(clerk_out).post("/api/v1/items/8/records/", record_values(8), format="json")
    assert response.status_code == 403
    assert not Record.objects.exists()


def test_reviewer_cannot_create(reviewer):
    assert api(reviewer).post("/api/v1/items/8/records/", record_values(8), format="json").status_code == 403


def test_future_business_date_refused(clerk):
    tomorrow = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
    response = api(clerk).post("/api/v1/items/8/records/", {**record_values(8), "penalty_date": tomorrow})
    assert response.status_code == 400
    assert "penalty_date" in response.json()


# --- read / patch ---------------------------------------------------------------------------------------------


def test_other_office_record_is_404(clerk, clerk_out):
    record = create_record(8, clerk)
    assert api(clerk_out).get(f"/api/v1/records/{record.pk}/").status_code == 404
    assert api(clerk_out).patch(f"/api/v1/records/{record.pk}/", {"offence": "x"}).status_code == 404
    assert api(clerk).get(f"/api/v1/records/{record.pk}/").status_code == 200


def test_list_is_office_scoped(clerk, clerk_out):
    create_record(8, clerk)
    assert api(clerk).get("/api/v1/items/8/records/").json()["count"] == 1
    assert api(clerk_out).get("/api/v1/items/8/records/").json()["count"] == 0


def test_patch_draft(clerk):
    record = create_record(8, clerk)
    response = api(clerk).patch(f"/api/v1/records/{record.pk}/", {"offence": "修改后的案由"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["offence"] == "修改后的案由"
    assert response.json()["version"] == record.version + 1


def test_patch_invalid_value_names_the_field(clerk):
    record = create_record(8, clerk)
    response = api(clerk).patch(f"/api/v1/records/{record.pk}/", {"id_number": "123"}, format="json")
    assert response.status_code == 400
    assert response.json()["id_number"][0].startswith("身份证号")


def test_patch_with_stale_version_is_409(clerk):
    record = create_record(8, clerk)
    api(clerk).patch(f"/api/v1/records/{record.pk}/", {"offence": "一", "version": record.version}, format="json")
    response = api(clerk).patch(
        f"/api/v1/records/{record.pk}/", {"offence": "二", "version": record.version}, format="json"
    )
    assert response.status_code == 409


def test_patch_approved_record_creates_a_pending_change(clerk, reviewer):
    record = create_record(8, clerk, status="approved", reviewer=reviewer)
    response = api(clerk).patch(
        f"/api/v1/records/{record.pk}/", {"penalty_result": "变更后的结果", "note": "更正"}, format="json"
    )
    assert response.status_code == 202, response.json()
    change = RecordChange.objects.get()
    assert response.json()["status"] == "pending" and change.note == "更正"
    assert api(clerk).get(f"/api/v1/records/{record.pk}/").json()["penalty_result"] != "变更后的结果"
    assert api(clerk).post(f"/api/v1/changes/{change.pk}/approve/").status_code == 403
    response = api(reviewer).post(f"/api/v1/changes/{change.pk}/approve/")
    assert response.status_code == 200 and response.json()["status"] == ChangeStatus.APPROVED
    assert api(clerk).get(f"/api/v1/records/{record.pk}/").json()["penalty_result"] == "变更后的结果"
    assert api(reviewer).post(f"/api/v1/changes/{change.pk}/approve/").status_code == 409


# --- transitions ----------------------------------------------------------------------------------------------


def test_transitions_through_the_api(clerk, reviewer):
    record = create_record(8, clerk)
    assert api(clerk).post(f"/api/v1/records/{record.pk}/submit/").json()["status"] == "submitted"
    assert api(clerk).post(f"/api/v1/records/{record.pk}/submit/").status_code == 409
    assert api(clerk).post(f"/api/v1/records/{record.pk}/approve/").status_code == 403
    response = api(reviewer).post(f"/api/v1/records/{record.pk}/return/", {"reason": ""}, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    response = api(reviewer).post(f"/api/v1/records/{record.pk}/return/", {"reason": "请补充"}, format="json")
    assert response.status_code == 200 and response.json()["decision_reason"] == "请补充"
    assert api(clerk).post(f"/api/v1/records/{record.pk}/submit/").status_code == 200
    assert api(reviewer).post(f"/api/v1/records/{record.pk}/approve/").status_code == 200
    stale = api(reviewer).post(f"/api/v1/records/{record.pk}/approve/")
    assert stale.status_code == 409
    assert "已被审核" in stale.json()["non_field_errors"][0]
    assert api(reviewer).post(f"/api/v1/records/{record.pk}/revoke/", {}, format="json").status_code == 400
    response = api(reviewer).post(f"/api/v1/records/{record.pk}/revoke/", {"reason": "决定撤销"}, format="json")
    assert response.json()["status"] == RecordStatus.REVOKED
    actions = list(RecordEvent.objects.filter(record_id=record.pk).values_list("action", flat=True))
    assert actions == ["create", "submit", "return", "submit", "approve", "revoke"]


# --- due dates ------------------------------------------------------------------------------------------------


def test_due_date_over_national_day(clerk):
    # 2025-09-30 + 7 working days: 1–8 Oct is the National Day / Mid-Autumn holiday, 11 Oct (Saturday) is a 调休 working day.
    body = api(clerk).get("/api/v1/workdays/due-date/?start=2025-09-30&days=7").json()
    assert body == {"due": "2025-10-16", "provisional": False}


def test_due_date_ordinary_week(clerk):
    body = api(clerk).get("/api/v1/workdays/due-date/?start=2026-03-02&days=7").json()
    assert body == {"due": "2026-03-11", "provisional": False}


def test_due_date_unknown_year_is_provisional(clerk):
    body = api(clerk).get("/api/v1/workdays/due-date/?start=2031-03-03&days=7").json()
    assert body == {"due": "2031-03-12", "provisional": True}


@pytest.mark.parametrize("query", ["start=2026-02-30&days=7", "start=&days=7", "start=2026-03-02&days=-1", ""])
def test_due_date_bad_input_is_400_in_chinese(clerk, query):
    response = api(clerk).get(f"/api/v1/workdays/due-date/?{query}")
    assert response.status_code == 400
    assert any("业务发生日期" in m or "工作日数" in m for msgs in response.json().values() for m in msgs)


def test_due_date_needs_authentication():
    assert api().get("/api/v1/workdays/due-date/?start=2026-03-02&days=7").status_code in (401, 403)


# --- approval publishes penalties (items 2 and 8) ------------------------------------------------------------------


def _submitted_penalty(clerk_user, no: int, seq: int):
    from credit.demo import sample_values
    from credit.services import records as record_services

    record = record_services.record_create(item=Item.objects.get(no=no), user=clerk_user, data=sample_values(no, seq))
    return record_services.record_submit(record=record, user=clerk_user)


@pytest.mark.django_db
def test_approving_a_teacher_penalty_publishes_it_with_the_given_national_columns(reviewer):
    from accounts.models import User
    from publicity.models import Publication

    zuren = User.objects.create_user("clerk_pub8", password="Pw-2026-abc", role="clerk")
    zuren.offices.set([Office.objects.get(code="zuren")])
    record = _submitted_penalty(zuren, 8, 41)
    body = {"penalty_basis": "《教师法》第三十七条", "penalty_category": "警告"}
    response = api(reviewer).post(f"/api/v1/records/{record.pk}/approve/", body, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "approved"
    assert response.json()["publication"]["published"] is True
    publication = Publication.objects.get(record_id=record.pk)
    assert publication.published_at is not None and publication.penalty_basis == "《教师法》第三十七条"


@pytest.mark.django_db
def test_approval_without_the_missing_national_columns_approves_and_says_what_publication_needs(reviewer):
    from accounts.models import User
    from publicity.models import Publication

    yijiao = User.objects.create_user("clerk_pub2", password="Pw-2026-abc", role="clerk")
    yijiao.offices.set([Office.objects.get(code="yijiao")])
    record = _submitted_penalty(yijiao, 2, 42)
    response = api(reviewer).post(f"/api/v1/records/{record.pk}/approve/", {}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "approved" and body["publication"]["published"] is False
    assert "行政处罚决定书文号" in body["publication"]["errors"]["decision_number"][0]
    assert not Publication.objects.filter(record_id=record.pk, published_at__isnull=False).exists()


@pytest.mark.django_db
def test_approval_with_publish_false_does_not_publish(reviewer):
    from accounts.models import User

    zuren = User.objects.create_user("clerk_pub8b", password="Pw-2026-abc", role="clerk")
    zuren.offices.set([Office.objects.get(code="zuren")])
    record = _submitted_penalty(zuren, 8, 43)
    response = api(reviewer).post(f"/api/v1/records/{record.pk}/approve/", {"publish": False}, format="json")
    assert response.status_code == 200 and "publication" not in response.json()
