"""信用报告 (issue 13 point 3): an organisation's public page offers a PDF of what the column shows about it, numbered,
timed, with a QR code of a public verification page that confirms an untouched copy and refuses an altered one."""

from __future__ import annotations

import hashlib
import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics

from credit.catalog import ItemSpec
from credit.demo import person_id
from credit.registry import model_for_item
from tests.factories.publicity import PublicationFactory
from vetting.models import CreditReport
from vetting.services import reports

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


def _ascii_runs_kept_whole(text: str, lines: list[str], fits) -> list[str]:
    """The ASCII runs of ``text`` (dates, numbers, URLs) that would fit on a line but are split across lines."""
    return [run for run in re.findall(r"[!-~]+", text) if fits(run) and not any(run in line for line in lines)]


def test_the_report_pdf_never_breaks_a_line_inside_a_date_a_number_or_the_url(penalised_org, client, monkeypatch):
    """Lines broke at any character: "公示至：2 / 027-01-19", "http://…/credit / -report/…" in the PDF handed out."""
    record, _publication = penalised_org
    wrapped = []
    original = reports._wrap

    def spy(text, font, size, width):
        lines = original(text, font, size, width)
        wrapped.append((text, lines, lambda s: pdfmetrics.stringWidth(s, font, size) <= width))
        return lines

    monkeypatch.setattr(reports, "_wrap", spy)
    _download(client, record.org_code)
    report = CreditReport.objects.get()
    footer = next((text, lines) for text, lines, _fits in wrapped if f"/credit-report/{report.number}/" in text)
    assert len(footer[1]) > 1  # the footer does wrap, and the URL is on one line of it
    assert any(f"/credit-report/{report.number}/" in line for line in footer[1])
    for text, lines, fits in wrapped:
        assert _ascii_runs_kept_whole(text, lines, fits) == [], lines
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")  # nothing lost but the space at a break
        assert all(fits(line) for line in lines)


@pytest.mark.parametrize("filler", range(0, 60, 3))
def test_a_penalty_line_keeps_its_dates_and_document_number_whole_wherever_the_line_breaks(filler):
    font = reports._font(settings.CREDIT_REPORT_FONT)
    width = A4[0] - 40 * mm - 4 * mm  # a section line: the page's width less the indent
    text = "1. " + "文书号：%s；内容：%s；决定日期：%s；公示至：%s" % (
        "NCJY-CF-2026-000123",
        "未按规定办学，" * (filler // 7) + "整" * (filler % 7),
        "2026-01-19",
        "2027-01-19",
    )
    lines = reports._wrap(text, font, 10, width)
    for run in ("NCJY-CF-2026-000123", "2026-01-19", "2027-01-19"):
        assert any(run in line for line in lines), lines
    assert "".join(lines) == text


def test_a_run_longer_than_a_line_is_broken_to_fill_the_lines():
    font = reports._font(settings.CREDIT_REPORT_FONT)
    text = "访问 " + "https://credit.example.gov.cn/" + "a" * 300
    lines = reports._wrap(text, font, 9, 200)
    assert len(lines) > 2 and "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(pdfmetrics.stringWidth(line, font, 9) <= 200 for line in lines)
    assert lines[0].startswith("访问 https://")  # too long for any line: it fills each line from where it starts
    assert all(pdfmetrics.stringWidth(line + "a", font, 9) > 200 for line in lines[:-1])
