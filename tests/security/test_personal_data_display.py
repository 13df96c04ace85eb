"""Unmasked ID numbers only where staff ask for them, and every showing is in the audit log."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from credit.demo import sample_values
from credit.models import Item
from credit.services import records as services
from credit.validators import mask_cn_id


@pytest.fixture
def record(clerk):
    return services.record_create(item=Item.objects.get(no=8), user=clerk, data=sample_values(8, 3))


def _views():
    return AuditEvent.objects.filter(action="view_personal_data")


def test_record_page_masks_the_id_until_asked_and_audits_the_reveal(client, clerk, record):
    client.force_login(clerk)
    url = reverse("credit:record-detail", args=[record.pk])
    page = client.get(url).content.decode()
    assert record.id_number not in page and mask_cn_id(record.id_number) in page
    assert not _views().exists()

    revealed = client.get(url + "?reveal=1").content.decode()
    assert record.id_number in revealed
    event = _views().get()
    assert event.user == clerk and event.object_id == str(record.pk) and event.detail["fields"] == ["id_number"]


def test_record_list_shows_masked_ids(client, clerk, record):
    client.force_login(clerk)
    page = client.get(reverse("credit:record-list")).content.decode()
    assert record.name in page and record.id_number not in page


def test_api_responses_with_full_ids_are_audited(client, clerk, record):
    client.force_login(clerk)
    assert client.get(f"/api/v1/records/{record.pk}/").json()["id_number"] == record.id_number
    assert client.get("/api/v1/items/8/records/").json()["results"][0]["id_number"] == record.id_number
    assert _views().count() == 2
    # Items without personal identifiers are not "personal data views".
    client.get("/api/v1/items/3/records/")
    assert _views().count() == 2
