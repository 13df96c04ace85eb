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
