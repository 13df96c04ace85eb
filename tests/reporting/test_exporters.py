"""Upload template and national 双公示 exports: headers, text cells, determinism, formula injection."""

import io
import json
from pathlib import Path

import openpyxl
import pytest

from credit.catalog import ItemSpec, catalog_item
from credit.models import Item
from credit.registry import model_for_item
from reporting.columns import item_sheet_name, template_headers
from reporting.double_publicity import PENALTY_CODES
from reporting.exporters import DoublePublicityPenaltyExporter, UploadTemplateExporter
from tests.factories.publicity import stored_licence, stored_penalty_publication

pytestmark = pytest.mark.django_db

SPEC = Path(__file__).resolve().parents[2] / "fixtures" / "double_publicity.json"  # the standard, as in spec/


def _export(no, queryset=None) -> bytes:
    out = io.BytesIO()
    UploadTemplateExporter(Item.objects.get(no=no), queryset).write(out)
    return out.getvalue()


@pytest.mark.parametrize("no", ItemSpec.numbers())
def test_blank_template_has_catalog_header_instructions_and_dropdowns(no):
    item = catalog_item(no)
    assert len(item["name"]) <= 31 and not set(item["name"]) & set("[]:*?/\\")
    wb = openpyxl.load_workbook(io.BytesIO(_export(no)))
    assert wb.sheetnames == [item_sheet_name(item["name"]), "填写说明"]
    sheet = wb.worksheets[0]
    header = [c.value for c in sheet[1]]
    # The Annex 1 columns first and exact; then, only where the business date is not one of them, its optional column.
    assert header[: len(item["fields"])] == [f["name"] for f in item["fields"]] == template_headers(no)
    spec = ItemSpec.get(no)
    assert header[len(item["fields"]) :] == ([] if spec.business_date_field else [spec.business_date_label])
    instructions = wb["填写说明"]
    assert [c.value for c in instructions[1]] == ["列名", "格式", "是否必填", "可选值", "规则"]
    enum_cols = [f for f in item["fields"] if f.get("values")]
    assert len(sheet.data_validations.dataValidation) == len(enum_cols)


def test_a_filled_export_carries_only_the_annex_columns(make_records):
    make_records(6, 1)
    sheet = openpyxl.load_workbook(io.BytesIO(_export(6, model_for_item(6).objects.all()))).worksheets[0]
    assert [c.value for c in sheet[1]] == template_headers(6)


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


def _national_rows(path_or_buffer, codes):
    sheet = openpyxl.load_workbook(path_or_buffer).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == list(codes)
    return sheet, [dict(zip(codes, row, strict=True)) for row in rows[2:]]


def test_penalty_gap_columns_come_from_thestored_penalty_publication(make_records):
    import datetime

    from reporting.double_publicity import GAP_FIELDS, missing_required

    school, bare = make_records(2, 2)
    stored_penalty_publication(
        school,
        document_number="洪教罚〔2026〕7号",
        offence_type="违规办学",
        offence_facts="未经批准擅自招生",
        penalty_basis="《民办教育促进法》第六十二条",
        penalty_category="警告",
        publicity_end=datetime.date(2027, 3, 1),
    )
    out = io.BytesIO()
    exporter = DoublePublicityPenaltyExporter(2, model_for_item(2).objects.all())
    assert exporter.write(out) == 2
    _sheet, (published, unpublished) = _national_rows(out, PENALTY_CODES)
    assert published["cf_wsh"] == "洪教罚〔2026〕7号" and published["cf_wfxw"] == "违规办学"
    assert published["cf_sy"] == "未经批准擅自招生" and published["cf_yj"] == "《民办教育促进法》第六十二条"
    assert published["cf_cflb"] == "警告" and published["cf_gsjzq"] == "2027-03-01"
    assert all(unpublished[code] is None for code in ("cf_wsh", "cf_wfxw", "cf_sy", "cf_gsjzq"))
    assert set(GAP_FIELDS[2]) <= set(missing_required([unpublished[c] or "" for c in PENALTY_CODES]))
    assert exporter.incomplete == 1  # only the record without a publication lacks required columns


def test_penalty_publication_fills_item8_category_and_basis(make_records):
    teacher = make_records(8, 1)[0]
    stored_penalty_publication(
        teacher, penalty_category="通报批评", penalty_basis="《教师法》第三十七条", offence_type="体罚学生"
    )
    out = io.BytesIO()
    DoublePublicityPenaltyExporter(8, model_for_item(8).objects.all()).write(out)
    _sheet, [row] = _national_rows(out, PENALTY_CODES)
    assert (row["cf_cflb"], row["cf_yj"], row["cf_wfxw"]) == ("通报批评", "《教师法》第三十七条", "体罚学生")
    assert row["cf_wsh"] == teacher.decision_number and row["cf_sy"] == teacher.offence  # from the record


def _licence(office, user, **fields):
    return stored_licence(office=office, created_by=user, **fields)


def test_licence_export_natural_and_legal_persons(clerk_of_item_offices, tmp_path):
    from django.core.management import call_command

    from credit.models import Office
    from reporting.double_publicity import LICENSING_CODES

    spec = json.loads(SPEC.read_text(encoding="utf-8"))
    assert list(LICENSING_CODES) == [column["code"] for column in spec["licensing"]]
    office = Office.objects.get(code="yijiao")
    _licence(
        office,
        clerk_of_item_offices,
        xdr_shxym="91360100MA35XXXX0B",
        frdb="张建国",
        fr_zjlx="身份证",
        fr_zjhm="360102197001010019",
        xdr_zjlx="身份证",  # not for an organisation: left out
        xdr_zjhm="360102197102020021",
    )
    _licence(
        office,
        clerk_of_item_offices,
        subject_kind="natural",
        xdr_mc='=HYPERLINK("http://evil","李四")',
        xdr_lb="自然人",
        xdr_zjlx="身份证",
        xdr_zjhm="360102198003030033",
        xdr_shxym="91360100MA35XXXX0B",  # not for a person: left out
        xkws="教师资格认定",
        wsh="",
        xkbh="20263601000123",
        xklb="认可",
    )
    _licence(office, clerk_of_item_offices, status="draft", wsh="洪教许〔2026〕9号")  # not approved: not exported
    out = tmp_path / "licences.xlsx"
    call_command("export_double_publicity", "--kind", "licence", "--out", str(out))
    sheet, (legal, natural) = _national_rows(out, LICENSING_CODES)
    assert legal["xk_xdr_lb"] == "法人及非法人组织" and legal["xk_xdr_shxym"] == "91360100MA35XXXX0B"
    assert legal["xk_fr_zjhm"] == "360102197001010019" and legal["xk_frdb"] == "张建国"
    assert legal["xk_xdr_zjlx"] is None and legal["xk_xdr_zjhm"] is None
    assert legal["xk_zt"] == "有效" and legal["xk_wsh"] == "洪教许〔2026〕1号"
    assert natural["xk_xdr_lb"] == "自然人" and natural["xk_xdr_zjlx"] == "身份证"
    assert natural["xk_xdr_zjhm"] == "360102198003030033"
    assert all(natural[c] is None for c in ("xk_xdr_shxym", "xk_frdb", "xk_fr_zjlx", "xk_fr_zjhm"))
    assert natural["xk_wsh"] == "20263601000123"  # no document number: the licence number
    name_cell = sheet.cell(4, LICENSING_CODES.index("xk_xdr_mc") + 1)
    assert name_cell.data_type == "s" and name_cell.value.startswith("=HYPERLINK")
    assert sheet.cell(4, LICENSING_CODES.index("xk_jdrq") + 1).data_type == "s"


def test_penalty_command_headers_match_the_standard(make_records, tmp_path):
    from django.core.management import call_command

    spec = json.loads(SPEC.read_text(encoding="utf-8"))
    assert list(PENALTY_CODES) == [column["code"] for column in spec["penalty"]]
    make_records(8, 2)
    make_records(8, 1, start=5, status="draft")
    out = tmp_path / "penalties.xlsx"
    call_command("export_double_publicity", "--kind", "penalty", "--item", "8", "--out", str(out))
    _sheet, rows = _national_rows(out, PENALTY_CODES)
    assert len(rows) == 2 and all(row["cf_xdr_lb"] == "自然人" for row in rows)
