"""Evidence of objections and repair applications, and a repair's signed 信用承诺书 (may show an ID card), are
encrypted at rest (M6) and still downloaded by the reviewer as the file that was sent."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from publicity.services.requests import objection_file, repair_apply
from tests.factories import days_ago

pytestmark = pytest.mark.django_db

ID_CARD = b"%PDF-1.4\n(ID 360102197203030050)\n" + b"0" * 64


def test_evidence_is_encrypted_on_disk_and_downloaded_in_clear(build, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("身份证.pdf", ID_CARD, content_type="application/pdf")
    req = objection_file(
        target=build.penalty(8), applicant_name="甲", applicant_contact="x", content="有误", evidence=upload
    )
    raw = Path(req.evidence.storage.path(req.evidence.name)).read_bytes()
    assert not raw.startswith(b"%PDF") and b"360102197203030050" not in raw
    client.force_login(build.reviewer)
    response = client.get(f"/workspace/publicity/requests/objection/{req.pk}/evidence/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == ID_CARD


def test_repair_commitment_is_encrypted_on_disk_and_downloaded_in_clear(build, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    signed = SimpleUploadedFile("信用承诺书.pdf", ID_CARD, content_type="application/pdf")
    req = repair_apply(
        publication=build.penalty(2, day=days_ago(400)),
        applicant_name="甲",
        applicant_contact="x",
        content="已整改",
        commitment=signed,
    )
    raw = Path(req.commitment.storage.path(req.commitment.name)).read_bytes()
    assert not raw.startswith(b"%PDF") and b"360102197203030050" not in raw
    client.force_login(build.reviewer)
    response = client.get(f"/workspace/publicity/requests/repair/{req.pk}/commitment/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == ID_CARD
