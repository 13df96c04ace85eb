"""Objections and credit repair: filing with evidence (type and size checked), tracking code and status page, the
ten-working-day timer, and outcomes that change the column and queue a correction."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from credit.services.calendar import due_date_for, working_days_between
from publicity import selectors
from publicity.models import CorrectionNotice, Objection, RepairApplication
from publicity.services.errors import PublicityError
from publicity.services.requests import objection_file, repair_apply, request_decide
from tests.factories import days_ago
from tests.factories.publicity import commitment_pdf

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _file(client, url, **extra):
    data = {
        "applicant_name": "南昌市豫章中学",
        "applicant_contact": "0791-86000000",
        "content": "处罚内容有误",
        **extra,
    }
    return client.post(url, data)


def test_objection_with_evidence_gives_a_tracking_code_and_status_page(build, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pub = build.penalty(2)
    response = _file(
        client,
        f"/penalties/{pub.pk}/objection/",
        evidence=SimpleUploadedFile("我的证明.png", PNG, content_type="image/png"),
    )
    assert response.status_code == 302
    req = Objection.objects.get()
    assert response["Location"] == f"/track/{req.tracking_code}/"
    assert req.tracking_code.startswith("YY") and len(req.tracking_code) == 14
    assert req.evidence.name.endswith(".png") and "我的证明" not in req.evidence.name
    assert req.evidence_name == "我的证明.png"
    assert req.due_date == due_date_for(timezone.localdate(), 10).due
    page = client.get(response["Location"]).content.decode()
    assert "已受理" in page and req.tracking_code in page and "0791-86000000" not in page
    assert client.get("/track/", {"code": req.tracking_code.lower()}).status_code == 302
    assert "未找到" in client.get("/track/", {"code": "YYNOTACODE2345"}).content.decode()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.exe", b"MZ" + b"\x00" * 10, "只接受"),
        ("a.pdf", b"\x89PNG\r\n\x1a\n", "不符"),
        ("a.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024), "5MB"),
    ],
)
def test_evidence_type_and_size_are_limited(build, client, name, content, message):
    pub = build.penalty(8)
    response = _file(client, f"/penalties/{pub.pk}/objection/", evidence=SimpleUploadedFile(name, content))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Objection.objects.exists()


def test_objection_only_on_public_entries(build, client):
    record = build.record(8)
    assert _file(client, f"/penalties/{record.pk}/objection/").status_code == 404


def test_corrected_outcome_changes_the_column_and_queues_a_correction(build, client):
    pub = build.penalty(2)
    req = objection_file(target=pub, applicant_name="甲", applicant_contact="x@example.com", content="有误")
    request_decide(
        request=req, user=build.reviewer, outcome="corrected", reply="经核实予以更正", corrected_content="给予警告"
    )
    assert "给予警告" in client.get(f"/penalties/{pub.pk}/").content.decode()
    notice = CorrectionNotice.objects.get()
    assert notice.kind == "corrected" and notice.source_reference == req.tracking_code
    page = client.get(f"/track/{req.tracking_code}/").content.decode()
    assert "予以更正" in page and "经核实予以更正" in page


def test_upheld_outcome_keeps_the_entry(build):
    pub = build.penalty(8)
    req = objection_file(target=pub, applicant_name="甲", applicant_contact="x", content="有误")
    request_decide(request=req, user=build.reviewer, outcome="upheld", reply="维持")
    assert selectors.public_entry(selectors.PENALTIES, pub.pk) == pub
    assert not CorrectionNotice.objects.exists()
    with pytest.raises(PublicityError):
        request_decide(request=req, user=build.reviewer, outcome="withdrawn", reply="again")


def test_repair_only_after_the_minimum_period(build):
    recent = build.penalty(8, day=days_ago(20))
    with pytest.raises(PublicityError):
        repair_apply(
            publication=recent,
            applicant_name="甲",
            applicant_contact="x",
            content="已整改",
            commitment=commitment_pdf(),
        )


def test_repair_withdrawn_early_leaves_every_public_page(build, client):
    pub = build.penalty(2, day=days_ago(120))
    response = _file(client, f"/penalties/{pub.pk}/repair/", commitment=commitment_pdf())
    assert response.status_code == 302
    req = RepairApplication.objects.get()
    assert req.tracking_code.startswith("XF")
    request_decide(request=req, user=build.reviewer, outcome="withdrawn", reply="准予信用修复")
    assert client.get(f"/penalties/{pub.pk}/").status_code == 404
    assert pub.document_number not in client.get("/api/v1/public/penalties/").content.decode()
    assert pub.document_number not in client.get("/search/", {"q": pub.subject_name}).content.decode()
    assert CorrectionNotice.objects.filter(publication=pub, kind="withdrawn", source="repair").exists()
    assert "提前撤下公示" in client.get(f"/track/{req.tracking_code}/").content.decode()


def test_licence_and_black_list_objections_withdraw_their_entry(build):
    lic = build.licence()
    black = build.blacklist()
    for target in (lic, black):
        req = objection_file(target=target, applicant_name="甲", applicant_contact="x", content="有误")
        request_decide(request=req, user=build.reviewer, outcome="withdrawn", reply="撤下")
    assert not selectors.public_entries(selectors.LICENCES).exists()
    assert not selectors.public_entries(selectors.BLACK_LIST).exists()
    assert CorrectionNotice.objects.count() == 2


def test_working_days_between_counts_the_calendar():
    monday = datetime.date(2026, 11, 23)
    assert working_days_between(monday, monday + datetime.timedelta(days=7)) == 5
    assert working_days_between(monday + datetime.timedelta(days=7), monday) == -5
    assert working_days_between(datetime.date(2026, 9, 30), datetime.date(2026, 10, 9)) == 2  # 国庆 and 调休
