"""Where the catalogue says the deadline runs from a data item (处罚日期, 认定日期, 评定日期…), the record's business
date is that date: the deadline, the timeliness badge and the five-year validity all count from it. A clerk could type a
later business date and a penalty decided six months earlier read 按时 (or an earlier one, and a fresh record was
already past its validity)."""

import pytest
from rest_framework.test import APIClient

from credit.catalog import ItemSpec
from credit.models import Record
from credit.registry import model_for_item
from credit.services.calendar import due_date_for
from tests.factories import create_record, days_ago, record_values

pytestmark = pytest.mark.django_db

DERIVED = [spec.no for spec in ItemSpec.all() if spec.business_date_field]
PENALTY = 8  # a catalogue item whose deadline runs from 处罚日期 (checked below, not assumed)


def test_the_penalty_item_runs_its_deadline_from_the_penalty_date():
    assert PENALTY in DERIVED and ItemSpec.get(PENALTY).business_date_field == "penalty_date"


@pytest.mark.parametrize("business", [days_ago(3), days_ago(400)])
def test_the_form_refuses_a_business_date_other_than_the_penalty_date_and_saves_nothing(clerk_client, business):
    decided = days_ago(180)
    data = {**record_values(PENALTY, day=decided), "business_date": business.isoformat(), "submit": "1"}
    response = clerk_client.post(f"/workspace/items/{PENALTY}/new/", data)
    assert response.status_code == 200
    error = response.context["form"].errors["business_date"][0]
    assert error == (
        f"业务发生日期应与“处罚日期”（{decided.isoformat()}）相同：报送期限与有效期自处罚日期起算。留空即自动取该日期。"
    )
    assert 'id="error-business_date"' in response.content.decode()
    assert not Record.objects.exists()


def test_left_empty_the_business_date_is_the_penalty_date_and_the_late_record_is_late(clerk_client):
    decided = days_ago(180)
    data = {**record_values(PENALTY, day=decided), "business_date": "", "submit": "1"}
    clerk_client.post(f"/workspace/items/{PENALTY}/new/", data)
    record = Record.objects.get()
    assert record.business_date == decided
    assert record.due_date == due_date_for(decided, 7).due
    assert record.submitted_on_time is False


def test_changing_the_penalty_date_of_a_draft_moves_its_business_date(clerk_client, clerk):
    record = create_record(PENALTY, clerk, day=days_ago(20))
    typed = model_for_item(PENALTY).objects.get(pk=record.pk)
    moved = days_ago(15)
    data = {key: getattr(typed, key) or "" for key in typed.record_keys()}
    data.update(penalty_date=moved.isoformat(), business_date=typed.business_date.isoformat(), version=typed.version)
    response = clerk_client.post(f"/workspace/records/{record.pk}/edit/", {**data, "save": "1"})
    assert response.status_code == 302, response.context["form"].errors
    record.refresh_from_db()
    assert record.business_date == moved


def test_the_api_refuses_a_different_business_date_naming_the_field(clerk):
    api = APIClient()
    api.force_authenticate(clerk)
    decided = days_ago(180)
    body = {**record_values(PENALTY, day=decided), "business_date": days_ago(2).isoformat()}
    response = api.post(f"/api/v1/items/{PENALTY}/records/", body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["business_date"]
    assert not Record.objects.exists()
    same = api.post(f"/api/v1/items/{PENALTY}/records/", {**body, "business_date": decided.isoformat()}, format="json")
    assert same.status_code == 201


def test_items_whose_business_date_is_entered_still_take_any_past_date(clerk):
    entered = [
        spec for spec in ItemSpec.all() if not spec.business_date_field and spec.business_date_label == "业务发生日期"
    ]
    assert entered
    spec = entered[0]
    record = create_record(spec.no, business_date=days_ago(30).isoformat())
    assert record.business_date == days_ago(30)
