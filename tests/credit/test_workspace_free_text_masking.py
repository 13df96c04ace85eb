"""The record page masks ID and phone numbers quoted in free text, as it masks the ID number field; only the audited
reveal shows them in full."""

import pytest

from audit.models import AuditEvent
from tests.factories import create_record

pytestmark = pytest.mark.django_db

PID = "360102199001011234"
MOBILE = "13907915678"


def test_free_text_numbers_are_masked_until_revealed(clerk_client, clerk):
    record = create_record(8, clerk, offence=f"当事人（身份证 {PID}，电话 {MOBILE}）组织有偿补课")
    page = clerk_client.get(f"/workspace/records/{record.pk}/").content.decode()
    assert PID not in page and MOBILE not in page
    assert "139****5678" in page
    assert "?reveal=1" in page
    assert not AuditEvent.objects.filter(action="view_personal_data").exists()

    revealed = clerk_client.get(f"/workspace/records/{record.pk}/", {"reveal": "1"}).content.decode()
    assert PID in revealed and MOBILE in revealed
    event = AuditEvent.objects.get(action="view_personal_data")
    assert "offence" in event.detail["fields"]


def test_a_record_with_numbers_only_in_free_text_offers_the_reveal(clerk_client, clerk):
    record = create_record(10, clerk, contact_phone=MOBILE)
    page = clerk_client.get(f"/workspace/records/{record.pk}/").content.decode()
    assert MOBILE not in page
    assert 'id="personal-data"' in page


def test_history_masks_free_text_too(clerk_client, clerk):
    record = create_record(8, clerk)
    clerk_client.post(
        f"/workspace/records/{record.pk}/edit/",
        {
            **{k: getattr(record, k) for k in record.field_keys()},
            "penalty_date": record.penalty_date.isoformat(),
            "offence": f"电话 {MOBILE}",
        },
    )
    page = clerk_client.get(f"/workspace/records/{record.pk}/").content.decode()
    assert MOBILE not in page
    assert "139****5678" in page  # the edit was saved
