"""Upload template and national 双公示 exports: headers, text cells, determinism, formula injection."""

import io

import openpyxl
import pytest

from credit.catalog import load_catalog
from credit.models import Item
from credit.registry import model_for_item
from reporting.columns import item_sheet_name, template_headers
from reporting.double_publicity import PENALTY_CODES
from reporting.exporters import DoublePublicityPenaltyExporter, UploadTemplateExporter

pytestmark = pytest.mark.django_db


def _export(no, queryset=None) -> bytes:
    out = io.BytesIO()
    UploadTemplateExporter(Item.objects.get(no=no), queryset).write(out)
    return out.getvalue()


@pytest.mark.parametrize("no", range(1, 11))
def test_blank_template_has_catalog_header_instructions_and_dropdowns(no):
    item = load_catalog()["items"][no - 1]
    assert len(item["name"]) <= 31 and not set(item["name"]) & set("[]:*?/\\")
    wb = openpyxl.load_workbook(io.BytesIO(_export(no)))
    assert wb.sheetnames == [item_sheet_name(item["name"]), "填写说明"]
    sheet = wb.worksheets[0]
    assert [c.value for c in sheet[1]] == [f["name"] for f in item["fields"]] == template_headers(no)
    instructions = wb["填写说明"]
    assert [c.value for c in instructions[1]] == ["列名", "格式", "是否必填", "可选值", "规则"]
    enum_cols = [f for f in item["fields"] if f.get("values")]
    assert len(sheet.data_validations.dataValidation) == len(enum_cols)


def test_records_export_as_text_and_iso_dates(make_records):
    records = make_records(1, 2)
    data = _export(1, model_for_item(1).objects.all())
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 2
    assert rows[0][1] == records[0].id_number and sheet.cell(2, 2).data_type == "s"
    assert rows[0][5] == records[0].issue_date.isoformat()


def test_formula_like_values_are_written_as_text(make_records):
    make_records(6, 1, award_name='=HYPERLINK("http://evil","x")', award_content="+1+1", award_doc_number="@SUM(A1)")
    sheet = openpyxl.load_workbook(io.BytesIO(_export(6, model_for_item(6).objects.all()))).worksheets[0]
    cell = sheet.cell(2, 3)
    assert cell.data_type == "s" and cell.value.startswith("=")
    assert sheet.cell(2, 5).data_type == "s" and sheet.cell(2, 5).value == "+1+1"
    assert sheet.cell(2, 4).value == "@SUM(A1)"


def test_same_records_give_byte_identical_files(make_records):
    make_records(2, 3)
    qs = model_for_item(2).objects.all()
    assert _export(2, qs) == _export(2, qs)


def test_double_publicity_penalty_legal_and_natural_person(make_records, settings):
    settings.BUREAU_NAME, settings.BUREAU_CREDIT_CODE = "南昌市教育局", "113601000145008695"
    school = make_records(2, 1)[0]
    teacher = make_records(8, 1)[0]

    def export(no):
        out = io.BytesIO()
        DoublePublicityPenaltyExporter(no, model_for_item(no).objects.all()).write(out)
        sheet = openpyxl.load_workbook(out).worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
        assert list(rows[0]) == list(PENALTY_CODES)
        return dict(zip(PENALTY_CODES, rows[2], strict=True))

    legal = export(2)
    assert legal["cf_xdr_lb"] == "法人及非法人组织"
    assert legal["cf_xdr_shxym"] == school.org_code and legal["cf_xdr_zjhm"] is None
    assert legal["cf_cflb"] == school.penalty_type and legal["cf_jdrq"] == school.penalty_date.isoformat()
    assert legal["cf_sjlydm"] == "113601000145008695" and legal["cf_wsh"] is None  # gap: Annex 1 has no 文号
    natural = export(8)
    assert natural["cf_xdr_lb"] == "自然人" and natural["cf_xdr_zjlx"] == "身份证"
    assert natural["cf_xdr_zjhm"] == teacher.id_number and natural["cf_xdr_shxym"] is None
    assert natural["cf_wsh"] == teacher.decision_number and natural["cf_cflb"] is None
