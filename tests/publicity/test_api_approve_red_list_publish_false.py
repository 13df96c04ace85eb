"""``POST /api/v1/records/<id>/approve/ {"publish": false}`` on a red-list item is refused with 400 on ``publish`` and
changes nothing: the catalogue publishes an approved 守信 record on the red list for its validity (no reviewer's
choice), so an approval answering 200 would have put it there all the same. A penalty's ``publish: false`` still
approves without publishing."""

import pytest
from rest_framework.test import APIClient

from credit.catalog import PENALTY, RED_LIST, ItemSpec
from credit.models import RecordEvent, RecordStatus
from credit.services.records import RecordError
from publicity.models import Publication
from publicity.services.approvals import record_approve_and_publish
from tests.factories import create_record

pytestmark = pytest.mark.django_db

RED_LIST_ITEMS = [spec.no for spec in ItemSpec.items_with(publicity=RED_LIST)]
PENALTY_ITEMS = [spec.no for spec in ItemSpec.items_with(publicity=PENALTY)]


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize("no", RED_LIST_ITEMS)
def test_publish_false_on_a_red_list_item_is_400_on_publish_and_approves_nothing(reviewer, no):
    record = create_record(no, status="submitted", reviewer=reviewer)
    events = RecordEvent.objects.filter(record_id=record.pk).count()
    response = api(reviewer).post(f"/api/v1/records/{record.pk}/approve/", {"publish": False}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["publish"]
    assert response.json()["publish"][0].startswith("同时公示：红名单事项审核通过即列入红名单")
    record.refresh_from_db()
    assert (record.status, record.version) == (RecordStatus.SUBMITTED, 2)
    assert RecordEvent.objects.filter(record_id=record.pk).count() == events
    assert not Publication.objects.filter(record_id=record.pk).exists()
    # Without it (or with publish: true) the approval joins the red list, as it always did.
    assert api(reviewer).post(f"/api/v1/records/{record.pk}/approve/", {}, format="json").status_code == 200
    assert Publication.objects.filter(record_id=record.pk).exists()


@pytest.mark.parametrize("no", RED_LIST_ITEMS)
def test_the_service_refuses_it_for_every_caller(reviewer, no):
    record = create_record(no, status="submitted", reviewer=reviewer)
    with pytest.raises(RecordError) as exc:
        record_approve_and_publish(record=record, user=reviewer, publish=False)
    assert list(exc.value.errors) == ["publish"]
    record.refresh_from_db()
    assert record.status == RecordStatus.SUBMITTED


@pytest.mark.parametrize("no", RED_LIST_ITEMS)
def test_a_clerk_is_still_refused_for_the_role_first(clerk, reviewer, no):
    record = create_record(no, status="submitted", reviewer=reviewer)
    response = api(clerk).post(f"/api/v1/records/{record.pk}/approve/", {"publish": False}, format="json")
    assert response.status_code in (403, 404)


@pytest.mark.parametrize("no", PENALTY_ITEMS)
def test_publish_false_on_a_penalty_still_approves_without_publishing(reviewer, no):
    record = create_record(no, status="submitted", reviewer=reviewer)
    response = api(reviewer).post(f"/api/v1/records/{record.pk}/approve/", {"publish": False}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == RecordStatus.APPROVED
    assert not Publication.objects.filter(record_id=record.pk).exists()
