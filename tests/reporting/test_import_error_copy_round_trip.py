"""The error copy of a refused upload (标注错误的文件) is the clerk's upload with its mistakes marked: the same columns in
the same order, so that, corrected, it uploads again as it is and changes only what the upload would have changed."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from credit.models import Item, RecordStatus
from credit.registry import model_for_item
from reporting.columns import ERROR_NOTES_COLUMN, RECORD_NUMBER_COLUMN, optional_columns, template_headers
from reporting.models import ImportJob, ImportStatus
from tests.factories import reporting_office
from tests.reporting.workbooks import template_rows, workbook_bytes

pytestmark = pytest.mark.django_db

# Item 8's national 双公示 columns a clerk filled on the records' pages; an update upload without them leaves them be.
NATIONAL = {
    "offence_type": "违规有偿补课",
    "penalty_basis": "《中小学教师违反职业道德行为处理办法》第四条",
    "penalty_category": "警告",
}


def _upload(client, no: int, data: bytes, mode: str = "create") -> ImportJob:
    client.post(
        reverse("reporting:import-create"),
        {
            "item": Item.objects.get(no=no).pk,
            "office": reporting_office(no).pk,
            "mode": mode,
            "file": SimpleUploadedFile("upload.xlsx", data),
        },
    )
    return ImportJob.objects.order_by("-pk").first()


def _error_copy(client, job: ImportJob) -> openpyxl.Workbook:
    response = client.get(reverse("reporting:import-errors", args=[job.pk]))
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def _bytes(workbook: openpyxl.Workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _header(sheet) -> list[str]:
    return [cell.value for cell in sheet[1] if cell.value is not None]


def _column(sheet, name: str) -> int:
    return _header(sheet).index(name) + 1


def test_error_copy_has_exactly_the_uploaded_columns_then_the_notes(client, clerk_of_item_offices):
    """An upload of item 8 with its Annex 1 columns and the first optional one (处理性质): the copy has those columns,
    not every optional column of the item, and its notes last."""
    client.force_login(clerk_of_item_offices)
    header = [*template_headers(8), optional_columns(8)[0].name]
    rows = [[*row, "行政处罚"] for row in template_rows(8, range(2))]
    rows[1][template_headers(8).index("处罚日期")] = "2026-13-01"
    job = _upload(client, 8, workbook_bytes(8, rows, header=header))
    assert job.status == ImportStatus.INVALID and job.errors[0]["row"] == 3

    sheet = _error_copy(client, job).worksheets[0]
    assert _header(sheet) == [*header, ERROR_NOTES_COLUMN]
    assert sheet.cell(3, _column(sheet, "处罚日期")).comment is not None
    assert "处罚日期" in sheet.cell(3, _column(sheet, ERROR_NOTES_COLUMN)).value


def test_corrected_error_copy_of_an_update_uploads_as_is_and_leaves_left_out_columns_unchanged(
    client, make_records, clerk_of_item_offices
):
    """The exploratory tester's case: an update upload of the Annex 1 columns only, refused for one bad cell; the clerk
    corrects that cell in the error copy and uploads it in update mode. Before, the copy gained every optional
    column, empty, and was refused for its 错误说明 column; with that column deleted it emptied 违法行为类型, 处罚依据
    and 处罚类别 on every record in the file."""
    records = make_records(8, 2, status=RecordStatus.DRAFT, **NATIONAL)
    client.force_login(clerk_of_item_offices)
    headers = template_headers(8)
    rows = template_rows(8, range(2))
    rows[0][headers.index("处罚结果")] = "给予通报批评"
    rows[1][headers.index("处罚日期")] = "2026-13-01"
    job = _upload(client, 8, workbook_bytes(8, rows), mode="update")
    assert job.status == ImportStatus.INVALID, job.message

    copy = _error_copy(client, job)
    sheet = copy.worksheets[0]
    assert _header(sheet) == [*headers, ERROR_NOTES_COLUMN]
    sheet.cell(3, _column(sheet, "处罚日期")).value = "2026-03-01"  # the clerk's correction, nothing else
    again = _upload(client, 8, _bytes(copy), mode="update")

    assert again.status == ImportStatus.SUCCEEDED, (again.message, again.errors)
    model = model_for_item(8)
    first, second = (model.objects.get(pk=r.pk) for r in records)
    assert first.penalty_result == "给予通报批评"
    assert second.penalty_date.isoformat() == "2026-03-01"
    for record in (first, second):
        assert {key: getattr(record, key) for key in NATIONAL} == NATIONAL


def test_corrected_error_copy_of_an_update_keeps_its_leading_columns(client, make_records, clerk_of_item_offices):
    record = make_records(8, 1, status=RecordStatus.DRAFT, **NATIONAL)[0]
    client.force_login(clerk_of_item_offices)
    header = [RECORD_NUMBER_COLUMN, *template_headers(8)]
    row = [record.pk, *template_rows(8, [0])[0]]
    row[header.index("处罚日期")] = "2026-02-30"
    job = _upload(client, 8, workbook_bytes(8, [row], header=header), mode="update")
    assert job.status == ImportStatus.INVALID

    copy = _error_copy(client, job)
    sheet = copy.worksheets[0]
    assert _header(sheet) == [*header, ERROR_NOTES_COLUMN]
    sheet.cell(2, _column(sheet, "处罚日期")).value = "2026-02-28"
    again = _upload(client, 8, _bytes(copy), mode="update")

    assert again.status == ImportStatus.SUCCEEDED, (again.message, again.errors)
    stored = model_for_item(8).objects.get(pk=record.pk)
    assert stored.penalty_date.isoformat() == "2026-02-28"
    assert {key: getattr(stored, key) for key in NATIONAL} == NATIONAL


def test_corrected_error_copy_of_a_new_upload_imports_as_is(client, clerk_of_item_offices):
    client.force_login(clerk_of_item_offices)
    rows = template_rows(1, range(3))
    rows[1][1] = "360102197002020010"  # bad check digit
    job = _upload(client, 1, workbook_bytes(1, rows))
    assert job.status == ImportStatus.INVALID

    copy = _error_copy(client, job)
    sheet = copy.worksheets[0]
    assert _header(sheet) == [*template_headers(1), ERROR_NOTES_COLUMN]
    sheet.cell(3, _column(sheet, "身份证号码")).value = template_rows(1, [1])[0][1]
    again = _upload(client, 1, _bytes(copy))

    assert again.status == ImportStatus.SUCCEEDED, (again.message, again.errors)
    assert model_for_item(1).objects.count() == 3


def test_a_notes_column_other_than_last_is_still_an_extra_column(client, clerk_of_item_offices):
    """Only the error copy's own shape is read past: 错误说明 followed by another column is named as extra."""
    client.force_login(clerk_of_item_offices)
    header = [*template_headers(1), ERROR_NOTES_COLUMN, "备注"]
    job = _upload(client, 1, workbook_bytes(1, template_rows(1, [0]), header=header))
    assert job.status == ImportStatus.INVALID and "错误说明" in job.message and "多余的列" in job.message


def test_refused_job_page_says_the_error_copy_uploads_as_is_in_the_same_mode(
    client, make_records, clerk_of_item_offices
):
    make_records(8, 1, status=RecordStatus.DRAFT)
    client.force_login(clerk_of_item_offices)
    row = template_rows(8, [0])[0]
    row[template_headers(8).index("处罚日期")] = "2026-13-01"
    job = _upload(client, 8, workbook_bytes(8, [row]), mode="update")
    page = client.get(reverse("reporting:import-detail", args=[job.pk])).content.decode()
    assert "可直接在其中改正" in page and ERROR_NOTES_COLUMN in page and "更新已有记录" in page
    again = reverse("reporting:import-create") + "?item=8&amp;mode=update"
    assert again in page
    form = client.get(reverse("reporting:import-create") + "?item=8&mode=update")
    assert form.context["form"].initial["mode"] == "update"
