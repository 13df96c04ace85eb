"""信用报告 (issue 13 point 3): an organisation's public page offers a PDF of what the column shows about it, numbered,
timed, with a QR code of a public verification page that confirms an untouched copy and refuses an altered one."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from credit.catalog import ItemSpec
from credit.demo import person_id
from credit.registry import model_for_item
from tests.factories.publicity import PublicationFactory
from vetting.models import CreditReport

pytestmark = pytest.mark.django_db

PENALTY_ORG = next(i.no for i in ItemSpec.all() if i.is_negative and i.penalty_columns and not i.is_natural_person)


@pytest.fixture
def penalised_org():
    publication = PublicationFactory(no=PENALTY_ORG, seq=81)
    return model_for_item(PENALTY_ORG).objects.get(pk=publication.record_id), publication


def _download(client, code: str):
    response = client.get(f"/org/{code}/credit-report.pdf")
    assert response.status_code == 200, response.content[:200]
    return response


def test_the_org_page_offers_a_numbered_pdf_report_with_its_hash_recorded(penalised_org, client):
    record, publication = penalised_org
    page = client.get(f"/org/{record.org_code}/").content.decode()
    assert f"/org/{record.org_code}/credit-report.pdf" in page

    response = _download(client, record.org_code)
    data = response.content
    assert response["Content-Type"] == "application/pdf" and data.startswith(b"%PDF")
    report = CreditReport.objects.get()
    assert response["Content-Disposition"].endswith(f'{report.number}.pdf"')
    assert report.sha256 == hashlib.sha256(data).hexdigest()
    assert report.subject_code == record.org_code and report.summary["penalties"] == 1
    assert b"/FontFile2" in data  # the CJK font is embedded (a subset), not left to the reader's machine


def test_the_verification_page_confirms_an_untouched_report_and_refuses_an_altered_one(penalised_org, client):
    record, _publication = penalised_org
    data = _download(client, record.org_code).content
    report = CreditReport.objects.get()
    url = f"/credit-report/{report.number}/"
    page = client.get(url).content.decode()
    assert report.number in page and report.sha256 in page and record.org_name in page

    same = client.post(url, {"file": SimpleUploadedFile("r.pdf", data)}).content.decode()
    assert "核验通过" in same
    altered = data.replace(b"%PDF-1.4", b"%PDF-1.5", 1) if b"%PDF-1.4" in data else data + b"\n"
    refused = client.post(url, {"file": SimpleUploadedFile("r.pdf", altered)}).content.decode()
    assert "核验未通过" in refused and "核验通过：" not in refused


def test_no_report_for_a_natural_person_or_an_organisation_the_column_does_not_show(client):
    assert client.get(f"/org/{person_id(3)}/credit-report.pdf").status_code == 404
    assert client.get("/org/12360100MB0000000X/credit-report.pdf").status_code == 404
    assert client.get("/credit-report/XYBG00000000NOPE/").status_code == 404
    assert not CreditReport.objects.exists()
