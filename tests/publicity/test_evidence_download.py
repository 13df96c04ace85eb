"""Reviewers open the evidence of an objection or repair: streamed as an attachment with a safe name and its real
type, never sniffed, the download audited; nobody else gets it; a file gone from storage is a message, not a 500."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import AuditEvent
from publicity.services.requests import objection_file

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n" + b"0" * 64


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _objection(build, name="证明.png", content=PNG):
    pub = build.penalty(8)
    upload = SimpleUploadedFile(name, content, content_type="text/html")
    return objection_file(target=pub, applicant_name="甲", applicant_contact="x", content="有误", evidence=upload)


def _url(req) -> str:
    return f"/workspace/publicity/requests/objection/{req.pk}/evidence/"


def test_reviewer_downloads_the_evidence(build, client, media):
    req = _objection(build)
    client.force_login(build.reviewer)
    detail = client.get(f"/workspace/publicity/requests/objection/{req.pk}/").content.decode()
    assert _url(req) in detail
    response = client.get(_url(req))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''%E8%AF%81%E6%98%8E.png" in response["Content-Disposition"]
    event = AuditEvent.objects.filter(action="download", object_id=str(req.pk)).get()
    assert event.user == build.reviewer and event.outcome == "success"


def test_hostile_file_name_is_made_safe(build, client, media):
    req = _objection(build, name='..\\..\\a"b;<script>.pdf', content=PDF)
    client.force_login(build.reviewer)
    response = client.get(_url(req))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert "script" in disposition and "<" not in disposition and '"b' not in disposition and ".." not in disposition
    assert disposition.endswith('.pdf"') or disposition.endswith(".pdf")


@pytest.mark.parametrize("who", ["clerk", "other_kind"])
def test_nobody_else_gets_it(build, client, media, who):
    req = _objection(build)
    if who == "clerk":
        client.force_login(build.zuren)
        assert client.get(_url(req)).status_code == 403
    else:
        client.force_login(build.reviewer)
        assert client.get(f"/workspace/publicity/requests/repair/{req.pk}/evidence/").status_code == 404
    assert not AuditEvent.objects.filter(action="download").exists()


def test_anonymous_visitors_are_sent_to_sign_in(build, client, media):
    response = client.get(_url(_objection(build)))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_request_without_evidence_is_404(build, client):
    req = objection_file(target=build.penalty(8), applicant_name="甲", applicant_contact="x", content="有误")
    client.force_login(build.reviewer)
    assert client.get(_url(req)).status_code == 404


def test_missing_file_is_a_clear_message(build, client, media):
    req = _objection(build)
    (media / req.evidence.name).unlink()
    client.force_login(build.reviewer)
    detail = client.get(f"/workspace/publicity/requests/objection/{req.pk}/")
    assert detail.status_code == 200 and "文件缺失" in detail.content.decode()
    response = client.get(_url(req), follow=True)
    assert response.status_code == 200
    assert "证明材料文件已不存在" in response.content.decode()
    assert AuditEvent.objects.filter(action="download", outcome="failure").count() == 1
