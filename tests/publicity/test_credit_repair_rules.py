"""Credit repair: an early end needs the penalty carried out (执行状态 已执行, where the item records it) and a signed
信用承诺书; repair decisions made on 信用中国 are entered or imported and withdraw the entry, whose public page then
says it was withdrawn after credit repair."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from credit.catalog import PENALTY, ItemSpec
from publicity import selectors
from publicity.models import CorrectionNotice, ExternalRepair
from publicity.services.errors import PublicityError
from publicity.services.repairs import external_repairs_import
from publicity.services.requests import repair_apply, request_decide
from tests.factories.credit import days_ago
from tests.factories.publicity import commitment_pdf

pytestmark = pytest.mark.django_db

# The penalty item whose record says whether the penalty was carried out, and what that field must say.
EXECUTED_ITEM = next(item for item in ItemSpec.items_with(publicity=PENALTY) if item.repair_requires)
STATUS_FIELD, EXECUTED = next(iter(EXECUTED_ITEM.repair_requires.items()))
NOT_EXECUTED = next(v for v in EXECUTED_ITEM.field(STATUS_FIELD).values if v not in EXECUTED)


def _apply(pub, **kwargs):
    return repair_apply(
        publication=pub,
        applicant_name="南昌市某培训学校",
        applicant_contact="0791-86000000",
        content="已整改",
        **kwargs,
    )


def test_repair_with_execution_status_not_executed_is_refused(build):
    pub = build.penalty(EXECUTED_ITEM.no, day=days_ago(120), **{STATUS_FIELD: NOT_EXECUTED})
    with pytest.raises(PublicityError) as exc:
        _apply(pub, commitment=commitment_pdf())
    assert "已执行" in str(exc.value)


def test_repair_granted_only_while_the_penalty_is_executed(build):
    pub = build.penalty(EXECUTED_ITEM.no, day=days_ago(120))
    req = _apply(pub, commitment=commitment_pdf())
    from publicity.services.publications import typed_record

    record = typed_record(pub.record)
    type(record).objects.filter(pk=record.pk).update(**{STATUS_FIELD: NOT_EXECUTED})
    with pytest.raises(PublicityError):
        request_decide(request=req, user=build.reviewer, outcome="withdrawn", reply="准予")
    pub.refresh_from_db()
    assert pub.withdrawn_at is None


def test_repair_needs_a_signed_commitment(build, client):
    pub = build.penalty(EXECUTED_ITEM.no, day=days_ago(120))
    with pytest.raises(PublicityError) as exc:
        _apply(pub)
    assert "commitment" in exc.value.errors
    response = client.post(
        f"/penalties/{pub.pk}/repair/",
        {"applicant_name": "甲", "applicant_contact": "0791-86000000", "content": "已整改"},
    )
    assert response.status_code == 200 and "信用承诺书" in response.content.decode()
    fake = SimpleUploadedFile("承诺书.pdf", b"<html>", content_type="application/pdf")
    with pytest.raises(PublicityError):
        _apply(pub, commitment=fake)


def test_reviewer_downloads_the_commitment(build, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pub = build.penalty(EXECUTED_ITEM.no, day=days_ago(120))
    req = _apply(pub, commitment=commitment_pdf())
    client.force_login(build.reviewer)
    response = client.get(f"/workspace/publicity/requests/repair/{req.pk}/commitment/")
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF-")


def _csv(*rows: str) -> bytes:
    return ("\n".join(["行政处罚决定书文号,修复日期,修复平台,修复决定编号", *rows]) + "\n").encode("utf-8")


def test_imported_xinyong_china_repair_withdraws_the_entry(build, client):
    pub = build.penalty(EXECUTED_ITEM.no, day=days_ago(120))
    other = build.penalty(EXECUTED_ITEM.no, day=days_ago(120))
    repaired_on = days_ago(1).isoformat()
    result = external_repairs_import(
        data=_csv(f"{pub.document_number},{repaired_on},信用中国,XYZG-2026-001"),
        filename="修复.csv",
        user=build.reviewer,
    )
    assert (result.imported, result.errors) == (1, [])
    assert list(selectors.public_entries(selectors.PENALTIES)) == [other]
    assert CorrectionNotice.objects.filter(publication=pub, kind="withdrawn", source="external_repair").exists()
    response = client.get(f"/penalties/{pub.pk}/")
    assert response.status_code == 404 and "经信用修复撤下公示" in response.content.decode()
    assert pub.subject_name not in response.content.decode()


def test_repair_import_with_an_unknown_decision_number_withdraws_nothing(build):
    pub = build.penalty(EXECUTED_ITEM.no, day=days_ago(120))
    result = external_repairs_import(
        data=_csv(f"{pub.document_number},{days_ago(1)},信用中国,", "洪教罚〔1999〕1号,2026-01-01,信用中国,"),
        filename="修复.csv",
        user=build.reviewer,
    )
    assert result.imported == 0 and "第 3 行" in result.errors[0]
    assert not ExternalRepair.objects.exists()
    assert selectors.public_entries(selectors.PENALTIES).filter(pk=pub.pk).exists()


def test_reviewer_enters_a_repair_decision_made_on_xinyong_china(build, client):
    pub = build.penalty(EXECUTED_ITEM.no, day=days_ago(120))
    client.force_login(build.reviewer)
    response = client.post(
        "/workspace/publicity/external-repairs/",
        {
            "enter": "1",
            "decision_number": pub.document_number,
            "repair_date": days_ago(2).isoformat(),
            "source": "信用中国",
            "reference": "XYZG-2026-002",
        },
    )
    assert response.status_code == 302
    assert not selectors.public_entries(selectors.PENALTIES).filter(pk=pub.pk).exists()
    assert client.get("/workspace/publicity/external-repairs/").status_code == 200


def test_repair_import_page_refuses_other_files_with_a_clear_message(build, client):
    client.force_login(build.reviewer)
    response = client.post(
        "/workspace/publicity/external-repairs/",
        {"import": "1", "file": SimpleUploadedFile("修复.doc", b"x")},
    )
    assert response.status_code == 200 and "只接受 .xlsx 或 .csv" in response.content.decode()
