"""An objection or repair request is bounded in size: the evidence file by ``PUBLICITY_EVIDENCE_MAX_BYTES`` and the
whole request by ``PUBLICITY_REQUEST_MAX_BYTES``; over either the form says so in Chinese on the evidence field, and
nothing is saved."""

import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from publicity.models import Objection

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cache.clear()


def _post(client, url, **files):
    data = {
        "applicant_name": "南昌市豫章中学",
        "applicant_contact": "0791-86000000",
        "content": "处罚内容有误",
        **files,
    }
    return client.post(url, data)


def _evidence_errors(response) -> str:
    found = re.search(r'id="id_evidence-errors">(.*?)</div>', response.content.decode(), re.S)
    return found.group(1) if found else ""


def test_oversized_evidence_is_refused_on_its_field_with_the_limit_in_force(build, client, settings):
    settings.PUBLICITY_EVIDENCE_MAX_BYTES = 64 * 1024
    url = f"/penalties/{build.penalty(2).pk}/objection/"
    page = client.get(url).content.decode()
    assert "不超过64KB" in page
    response = _post(client, url, evidence=SimpleUploadedFile("证明.pdf", PDF + b"0" * (65 * 1024)))
    assert response.status_code == 200
    assert "证明材料不能超过64KB" in _evidence_errors(response)
    assert not Objection.objects.exists()
    assert _post(client, url, evidence=SimpleUploadedFile("证明.pdf", PDF + b"0" * 1024)).status_code == 302


def test_request_over_the_whole_request_limit_is_refused_before_the_form(build, client, settings):
    settings.PUBLICITY_REQUEST_MAX_BYTES = 256 * 1024
    url = f"/penalties/{build.penalty(2).pk}/objection/"
    # Each file is within the evidence limit; together (a second, unused file field) they exceed the request limit.
    response = _post(
        client,
        url,
        evidence=SimpleUploadedFile("证明.pdf", PDF + b"0" * (200 * 1024)),
        extra=SimpleUploadedFile("b.pdf", PDF + b"0" * (200 * 1024)),
    )
    assert response.status_code == 413
    errors = _evidence_errors(response)
    assert "提交内容过大" in errors and "256KB" in errors and "5MB" in errors
    assert "南昌市豫章中学" in response.content.decode()  # what was typed is kept for the next attempt
    assert not Objection.objects.exists()
