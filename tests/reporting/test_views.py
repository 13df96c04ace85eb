"""Workspace pages and API of the reporting app: import error page, ledger permissions, manual upload."""

import io

import openpyxl
import pytest
from django.urls import reverse

from credit.models import Item, Record
from reporting.models import BatchKind, BatchStatus, ExportBatch, ImportJob
from reporting.services.batches import batch_create
from tests.reporting.workbooks import template_rows, workbook_bytes

pytestmark = pytest.mark.django_db


def _upload(client, data: bytes, item=1, office=None, name="filled.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    office_pk = office or Item.objects.get(no=item).offices.first().pk
    return client.post(
        reverse("reporting:import-create"),
        {"item": Item.objects.get(no=item).pk, "office": office_pk, "file": SimpleUploadedFile(name, data)},
        follow=True,
    )


def test_blank_template_download(client, clerk_of_item_offices):
    client.force_login(clerk_of_item_offices)
    response = client.get(reverse("reporting:template-download", args=[2]))
    assert response.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert wb.sheetnames[0] == "学校、办学机构处罚信息"


def test_import_page_success(client, clerk_of_item_offices):
    client.force_login(clerk_of_item_offices)
    response = _upload(client, workbook_bytes(1, template_rows(1, range(3))))
    assert response.status_code == 200
    assert "已导入 3 条记录" in response.content.decode()
    assert Record.objects.count() == 3


def test_import_page_lists_row_column_reason_and_offers_marked_copy(client, clerk_of_item_offices):
    client.force_login(clerk_of_item_offices)
    rows = template_rows(1, range(3))
    rows[2][1] = "12345"
    response = _upload(client, workbook_bytes(1, rows))
    page = response.content.decode()
    assert "第 4 行" in page and "身份证号码" in page and "身份证号码应为18位" in page
    assert Record.objects.count() == 0
    job = ImportJob.objects.get()
    marked = client.get(reverse("reporting:import-errors", args=[job.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(marked.streaming_content))).worksheets[0]
    assert sheet.cell(4, 2).comment is not None


def test_import_page_refuses_non_xlsx_with_a_message(client, clerk_of_item_offices):
    client.force_login(clerk_of_item_offices)
    response = _upload(client, b"not a workbook at all", name="x.xlsx")
    assert "不是 .xlsx 工作簿" in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_import_job_of_another_office_is_404(client, clerk_of_item_offices, clerk_news):
    client.force_login(clerk_of_item_offices)
    _upload(client, workbook_bytes(1, template_rows(1, range(1))))
    job = ImportJob.objects.get()
    client.force_login(clerk_news)
    assert client.get(reverse("reporting:import-detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("reporting:import-status", args=[job.pk])).status_code == 404


def test_import_status_json(client, clerk_of_item_offices):
    client.force_login(clerk_of_item_offices)
    _upload(client, workbook_bytes(1, template_rows(1, range(1))))
    job = ImportJob.objects.get()
    data = client.get(reverse("reporting:import-status", args=[job.pk])).json()
    assert data["finished"] and data["progress"] == 100 and data["created_count"] == 1


def test_api_import(client, clerk_of_item_offices):
    client.force_login(clerk_of_item_offices)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        "/api/v1/reporting/imports/",
        {
            "item": 8,
            "office": "zuren",
            "file": SimpleUploadedFile("t.xlsx", workbook_bytes(8, template_rows(8, range(2)))),
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "succeeded" and response.json()["created_count"] == 2
    bad = client.post(
        "/api/v1/reporting/imports/",
        {"item": 8, "office": "zuren", "file": SimpleUploadedFile("t.xlsm", b"PK\x03\x04")},
    )
    assert bad.status_code == 400 and "file" in bad.json()


def test_ledger_is_for_reviewers_only(client, clerk_of_item_offices, reviewer, make_records):
    make_records(2, 2)
    batch = batch_create(item=Item.objects.get(no=2), kind=BatchKind.FULL)
    client.force_login(clerk_of_item_offices)
    assert client.get(reverse("reporting:batch-list")).status_code == 403
    for name in ("batch-detail", "batch-download"):
        assert client.get(reverse(f"reporting:{name}", args=[batch.pk])).status_code == 404
    assert client.post(reverse("reporting:batch-manual", args=[batch.pk]), {"receipt": "X"}).status_code == 404
    assert client.get("/api/v1/reporting/batches/").status_code == 403
    client.force_login(reviewer)
    assert client.get(reverse("reporting:batch-list")).status_code == 200
    page = client.get(reverse("reporting:batch-detail", args=[batch.pk]))
    assert page.status_code == 200 and batch.sha256 in page.content.decode()
    download = client.get(reverse("reporting:batch-download", args=[batch.pk]))
    assert download.status_code == 200


def test_reviewer_records_a_manual_upload(client, reviewer, make_records):
    make_records(2, 1)
    batch = batch_create(item=Item.objects.get(no=2), kind=BatchKind.FULL)
    ExportBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.FAILED)
    client.force_login(reviewer)
    assert "报送失败" in client.get(reverse("reporting:batch-list")).content.decode()
    client.post(reverse("reporting:batch-manual", args=[batch.pk]), {"receipt": "JX-2026-0001"})
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DELIVERED and batch.receipt == "JX-2026-0001" and batch.delivered_via == "manual"
    client.post(reverse("reporting:batch-manual", args=[batch.pk]), {"receipt": "JX-2026-0002"})
    batch.refresh_from_db()
    assert batch.receipt == "JX-2026-0001"
