"""A natural person's 信用报告 (issue 13): staff download it from the workspace subject page (a reviewer any person,
a clerk a person of their offices' records), numbered and verifiable like an organisation's, audited as a view of
personal data; the public verification page confirms the copy without naming the person, and the public column never
makes one."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import AuditEvent
from credit.registry import model_for_item
from credit.validators import mask_cn_id
from tests.factories import create_record
from vetting.models import CreditReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def teacher(clerk, reviewer):
    """An approved item 8 record (教师行政处罚, 组人处) about a natural person, and that person's ID and name."""
    record = create_record(8, clerk, status="approved", reviewer=reviewer)
    typed = model_for_item(8).objects.get(pk=record.pk)
    return record, typed.id_number, typed.name


def _url(record) -> str:
    return f"/workspace/vetting/subjects/{record.subject_id}/credit-report.pdf"


def test_the_subject_page_links_a_person_report_that_is_numbered_hashed_and_audited(client, reviewer, teacher):
    record, number, _name = teacher
    client.force_login(reviewer)
    page = client.get(f"/workspace/subjects/{record.subject_id}/").content.decode()
    assert _url(record) in page

    response = client.get(_url(record))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    data = response.content
    report = CreditReport.objects.get()
    assert response["Content-Disposition"].endswith(f'{report.number}.pdf"')
    assert report.personal and report.subject_id == record.subject_id
    assert report.sha256 == hashlib.sha256(data).hexdigest() and report.summary["negative"] == 1
    event = AuditEvent.objects.get(action="view_personal_data")
    assert set(event.detail["fields"]) == {"identifier", "name"} and event.detail["credit_report"] == report.number
    assert number not in str(event.detail)


def test_the_verification_page_of_a_person_report_confirms_the_copy_without_naming_the_person(
    client, reviewer, teacher
):
    record, number, name = teacher
    client.force_login(reviewer)
    data = client.get(_url(record)).content
    client.logout()
    report = CreditReport.objects.get()
    url = f"/credit-report/{report.number}/"
    page = client.get(url).content.decode()
    assert report.number in page and report.sha256 in page and "自然人信用报告" in page
    assert number not in page and mask_cn_id(number) not in page and name not in page
    same = client.post(url, {"file": SimpleUploadedFile("r.pdf", data)}).content.decode()
    assert "核验通过" in same and name not in same and number not in same


def test_a_clerk_gets_the_report_only_for_a_person_of_their_offices_records(client, clerk, clerk_out, teacher):
    record, _number, _name = teacher
    client.force_login(clerk_out)
    assert client.get(_url(record)).status_code == 404
    assert client.get(f"/workspace/subjects/{record.subject_id}/").status_code == 404
    client.force_login(clerk)
    assert client.get(_url(record)).status_code == 200
    assert CreditReport.objects.count() == 1


def test_an_organisation_has_no_staff_person_report_and_the_public_none_for_a_person(client, reviewer, teacher):
    record, number, _name = teacher
    org = create_record(3, status="approved", reviewer=reviewer)
    client.force_login(reviewer)
    page = client.get(f"/workspace/subjects/{org.subject_id}/").content.decode()
    assert "credit-report.pdf" not in page
    assert client.get(_url(org)).status_code == 404
    client.logout()
    assert client.get(_url(record)).status_code == 302  # to the sign-in page
    assert client.get(f"/org/{number}/credit-report.pdf").status_code == 404
    assert not CreditReport.objects.exists()
