"""Every response that shows a full ID number is kept out of browser and proxy caches (``Cache-Control: no-store``),
and every API body that carries one is audited as a view of personal data, attributed to the user who got it."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from tests.factories import create_record

pytestmark = pytest.mark.django_db


def _not_stored(response) -> bool:
    cache_control = response.get("Cache-Control", "")
    return "no-store" in cache_control and "private" in cache_control and response.get("Pragma") == "no-cache"


def _views(user):
    return AuditEvent.objects.filter(action="view_personal_data", user=user)


@pytest.fixture
def draft(clerk):
    return create_record(8, clerk)


def test_revealed_record_page_is_not_stored(client, clerk, draft):
    client.force_login(clerk)
    url = reverse("credit:record-detail", args=[draft.pk])
    masked = client.get(url)
    assert masked.status_code == 200 and not _not_stored(masked)
    revealed = client.get(url + "?reveal=1")
    assert draft.id_number in revealed.content.decode() and _not_stored(revealed)


def test_edit_form_with_the_full_id_is_not_stored(client, clerk, draft):
    client.force_login(clerk)
    response = client.get(reverse("credit:record-edit", args=[draft.pk]))
    assert draft.id_number in response.content.decode() and _not_stored(response)


def test_revealed_subject_page_is_not_stored(client, clerk, draft):
    client.force_login(clerk)
    url = f"/workspace/subjects/{draft.subject_id}/"
    assert not _not_stored(client.get(url))
    revealed = client.get(url + "?reveal=1")
    assert draft.id_number in revealed.content.decode() and _not_stored(revealed)


def test_api_reads_with_full_ids_are_not_stored(client, clerk, draft):
    client.force_login(clerk)
    assert _not_stored(client.get(f"/api/v1/records/{draft.pk}/"))
    assert _not_stored(client.get("/api/v1/items/8/records/"))


def test_api_patch_returning_the_full_id_is_audited_and_not_stored(client, clerk, draft):
    client.force_login(clerk)
    response = client.patch(
        f"/api/v1/records/{draft.pk}/",
        {"version": draft.version, "offence": "改正后的违法事实"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["id_number"] == draft.id_number
    assert _not_stored(response)
    event = _views(clerk).get()
    assert event.object_id == str(draft.pk) and event.detail["fields"] == ["id_number"]
    assert draft.id_number not in str(event.detail)


def test_api_transitions_returning_the_full_id_are_audited_and_not_stored(client, clerk, reviewer, draft):
    client.force_login(clerk)
    submitted = client.post(f"/api/v1/records/{draft.pk}/submit/", {}, content_type="application/json")
    assert submitted.status_code == 200 and submitted.json()["id_number"] == draft.id_number
    assert _not_stored(submitted) and _views(clerk).filter(object_id=str(draft.pk)).count() == 1

    client.force_login(reviewer)
    approved = client.post(f"/api/v1/records/{draft.pk}/approve/", {"publish": False}, content_type="application/json")
    assert approved.status_code == 200 and approved.json()["id_number"] == draft.id_number
    assert _not_stored(approved) and _views(reviewer).filter(object_id=str(draft.pk)).count() == 1


def test_api_create_returning_the_full_id_is_audited_and_not_stored(client, clerk, draft):
    from credit.demo import sample_values

    client.force_login(clerk)
    response = client.post("/api/v1/items/8/records/", sample_values(8, 41), content_type="application/json")
    assert response.status_code == 201, response.content
    assert _not_stored(response)
    assert _views(clerk).filter(object_id=str(response.json()["id"])).count() == 1


def test_api_bodies_without_personal_identifiers_are_left_alone(client, clerk):
    client.force_login(clerk)
    response = client.get("/api/v1/items/")
    assert response.status_code == 200 and not _not_stored(response)
    assert not _views(clerk).exists()


def test_public_home_stays_cacheable(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "") and "Pragma" not in response
