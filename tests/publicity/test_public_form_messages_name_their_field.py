"""Every message of the column's visitor forms (异议申诉, 信用修复) names the field it is about: an older visitor reading
the error summary at the top of the form, or a screen-reader user hearing one message, knows which box to fix."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from publicity.forms import PublicRequestForm, RepairRequestForm

PDF = b"%PDF-1.4\n"
FILLED = {"applicant_name": "南昌市豫章中学", "applicant_contact": "0791-86000000", "content": "处罚内容有误"}


def _errors(form_class, data=FILLED, **files) -> dict[str, list[str]]:
    form = form_class(data, files)
    assert not form.is_valid()
    return {name: list(messages) for name, messages in form.errors.items()}


@pytest.mark.parametrize(
    "upload, says",
    [
        (SimpleUploadedFile("承诺书.exe", PDF), "信用承诺书只接受PDF、JPG、PNG文件。"),
        (SimpleUploadedFile("承诺书.pdf", PDF + b"0" * (64 * 1024)), "信用承诺书不能超过64KB。"),
        (
            SimpleUploadedFile("承诺书.pdf", b"<html>"),
            "信用承诺书：文件内容与扩展名不符，请上传真实的PDF、JPG或PNG文件。",
        ),
    ],
    ids=["type", "size", "content"],
)
def test_a_refused_commitment_is_named_as_the_commitment(settings, upload, says):
    settings.PUBLICITY_EVIDENCE_MAX_BYTES = 64 * 1024
    errors = _errors(RepairRequestForm, evidence=SimpleUploadedFile("证明.pdf", PDF), commitment=upload)
    assert errors == {"commitment": [says]}


@pytest.mark.parametrize(
    "upload, says",
    [
        (SimpleUploadedFile("证明.exe", PDF), "证明材料只接受PDF、JPG、PNG文件。"),
        (SimpleUploadedFile("证明.pdf", PDF + b"0" * (64 * 1024)), "证明材料不能超过64KB。"),
        (SimpleUploadedFile("证明.pdf", b"<html>"), "证明材料：文件内容与扩展名不符，请上传真实的PDF、JPG或PNG文件。"),
    ],
    ids=["type", "size", "content"],
)
def test_refused_evidence_is_named_as_the_evidence(settings, upload, says):
    settings.PUBLICITY_EVIDENCE_MAX_BYTES = 64 * 1024
    assert _errors(PublicRequestForm, evidence=upload) == {"evidence": [says]}


def test_every_required_field_left_blank_is_named():
    errors = _errors(RepairRequestForm, {"applicant_name": " ", "applicant_contact": "", "content": ""})
    assert errors == {
        "applicant_name": ["申请人：请填写单位名称或个人姓名。"],
        "applicant_contact": ["联系电话或电子邮箱：请填写，以便告知办理结果。"],
        "content": ["申请内容与理由：请填写申请的内容与理由。"],
        "commitment": ["信用承诺书：请上传签署的信用承诺书（PDF、JPG、PNG）。"],
    }
    assert all("必填" not in message for messages in errors.values() for message in messages)


def test_an_overlong_answer_is_named_with_the_limit_and_its_length():
    data = {**FILLED, "applicant_name": "甲" * 101, "content": "理" * 4002}
    errors = _errors(PublicRequestForm, data, evidence=SimpleUploadedFile("证明.pdf", b""))
    assert errors == {
        "applicant_name": ["申请人：不能超过 100 个字（现有 101 个）。"],
        "content": ["申请内容与理由：不能超过 4000 个字（现有 4002 个）。"],
        "evidence": ["证明材料：上传的文件是空的，请重新选择。"],
    }


def test_an_overlong_contact_is_named_with_the_limit_and_its_length():
    data = {**FILLED, "applicant_contact": "a" * 97 + "@x.cn"}
    assert _errors(PublicRequestForm, data) == {
        "applicant_contact": ["联系电话或电子邮箱：不能超过 100 个字（现有 102 个）。"]
    }


def test_the_challenge_answer_is_named():
    form = PublicRequestForm({**FILLED, "challenge_answer": "1" * 11}, challenge=True)
    assert not form.is_valid()
    assert form.errors["challenge_answer"] == ["人机验证：不能超过 10 个字（现有 11 个）。"]
