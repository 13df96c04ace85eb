"""Batch import: round trip, all-or-nothing, every error reported, unsafe files refused, Excel cell types."""

import datetime
import io
import zipfile

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from credit.catalog import ItemSpec
from credit.demo import sample_values
from credit.models import Item, Office, Record
from credit.registry import model_for_item
from reporting.columns import template_columns, template_headers
from reporting.exporters import UploadTemplateExporter
from reporting.imports import RecordImporter
from tests.reporting.workbooks import template_rows, workbook_bytes

pytestmark = pytest.mark.django_db

FIELDS_1 = [c.key for c in template_columns(1)]


def _write(tmp_path, name, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_round_trip_export_then_import_into_empty_database(
    make_records, clerk_of_item_offices, tmp_path, django_db_blocker
):
    originals = make_records(1, 5) + []
    model = model_for_item(1)
    out = tmp_path / "item1.xlsx"
    call_command("export_template", "--item", "1", "--out", str(out), "--all")
    wb = openpyxl.load_workbook(out)
    assert [c.value for c in wb.worksheets[0][1]] == template_headers(1)
    expected = [tuple(getattr(r, k) for k in FIELDS_1) for r in originals]
    Record.objects.all().delete()
    assert model.objects.count() == 0
    call_command(
        "import_records", str(out), "--item", "1", "--office", "zuren", "--user", clerk_of_item_offices.username
    )
    imported = [tuple(getattr(r, k) for k in FIELDS_1) for r in model.objects.order_by("pk")]
    assert imported == expected
    again = tmp_path / "again.xlsx"
    model.objects.update(status="approved")
    call_command("export_template", "--item", "1", "--out", str(again), "--all")
    assert again.read_bytes() == out.read_bytes()


def test_bulk_import_derives_like_record_create(make_records, clerk_of_item_offices):
    """The bulk path sets due date, validity end, subject, history and event exactly as record_create does."""
    reference = make_records(8, 1, status="draft")[0]
    Record.objects.all().delete()
    data = workbook_bytes(8, template_rows(8, [0]))
    result = RecordImporter(
        item=Item.objects.get(no=8), office=Office.objects.get(code="zuren"), user=clerk_of_item_offices
    ).run(data)
    assert result.ok, result.errors
    record = model_for_item(8).objects.get()
    for attr in (
        "due_date",
        "due_date_provisional",
        "validity_end",
        "business_date",
        "status",
        "version",
        "office_id",
        "created_by_id",
        "updated_by_id",
    ):
        assert getattr(record, attr) == getattr(reference, attr), attr
    assert record.subject.identifier == reference.id_number and record.subject.name == reference.name
    assert record.history.count() == 1
    assert record.events.filter(action="create").count() == 1


def test_one_bad_row_saves_nothing_and_names_row_column_reason(make_records, clerk_of_item_offices, tmp_path, capsys):
    rows = template_rows(1, range(3))
    rows[1][1] = "360102197002020010"  # bad check digit
    path = _write(tmp_path, "bad.xlsx", workbook_bytes(1, rows))
    before = Record.objects.count()
    with pytest.raises(CommandError):
        call_command(
            "import_records", path, "--item", "1", "--office", "zuren", "--error-file", str(tmp_path / "errors.xlsx")
        )
    err = capsys.readouterr().err
    assert "第 3 行 身份证号码" in err and "校验位错误" in err
    assert Record.objects.count() == before
    marked = openpyxl.load_workbook(tmp_path / "errors.xlsx").worksheets[0]
    assert marked.cell(3, 2).comment is not None and "校验位" in marked.cell(3, 2).comment.text


def test_every_problem_reported_at_once(clerk_of_item_offices):
    rows = template_rows(1, range(3))
    rows[0][2] = "女" if rows[0][2] == "男" else "男"  # sex disagrees with the ID
    rows[2][5] = "2026-13-40"  # impossible date
    rows[2][8] = "作废"  # not an allowed value
    result = RecordImporter(
        item=Item.objects.get(no=1), office=Office.objects.get(code="zuren"), user=clerk_of_item_offices
    ).run(workbook_bytes(1, rows))
    found = {(e.row, e.column) for e in result.errors}
    assert {(2, "性别"), (4, "发证日期"), (4, "证书状态")} <= found
    assert Record.objects.count() == 0


def test_excel_numeric_id_and_date_cells(clerk_of_item_offices):
    rows = template_rows(7, range(2))
    rows[0][1] = float(rows[0][1][:17] + "0")  # Excel stored the ID as a number: digits lost
    rows[1][4] = datetime.date(2026, 3, 2)  # a real Excel date cell
    result = RecordImporter(
        item=Item.objects.get(no=7), office=Office.objects.get(code="zuren"), user=clerk_of_item_offices
    ).run(workbook_bytes(7, rows))
    assert [(e.row, e.column) for e in result.errors] == [(2, "身份证号")]
    assert "文本" in result.errors[0].reason and result.errors[0].value.endswith("E+17")


def test_numeric_year_cell_becomes_text(clerk_of_item_offices):
    rows = template_rows(5, [0])
    rows[0][2] = 2025.0
    result = RecordImporter(
        item=Item.objects.get(no=5), office=Office.objects.get(code="sheguan"), user=clerk_of_item_offices
    ).run(workbook_bytes(5, rows))
    assert result.ok, result.errors
    assert model_for_item(5).objects.get().inspection_year == 2025


def test_duplicates_in_file_and_against_stored(make_records, clerk_of_item_offices):
    make_records(8, 1)
    rows = template_rows(8, [0, 1, 1])
    result = RecordImporter(
        item=Item.objects.get(no=8), office=Office.objects.get(code="zuren"), user=clerk_of_item_offices
    ).run(workbook_bytes(8, rows))
    reasons = {e.row: e.reason for e in result.errors}
    assert "系统中已有相同记录" in reasons[2]
    assert "与本文件第 3 行重复" in reasons[4]
    assert model_for_item(8).objects.count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("name,id\n张三,1\n".encode(), "不是 .xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "旧版 .xls"),
    ],
)
def test_not_xlsx_is_refused(clerk_of_item_offices, data, message):
    result = RecordImporter(
        item=Item.objects.get(no=1), office=Office.objects.get(code="zuren"), user=clerk_of_item_offices
    ).run(data)
    assert message in result.message


def _with_extra_entry(base: bytes, name: str, payload: bytes, compress=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as src, zipfile.ZipFile(out, "w", compress) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        dst.writestr(name, payload)
    return out.getvalue()


def test_macro_workbook_is_refused(clerk_of_item_offices, tmp_path):
    data = _with_extra_entry(workbook_bytes(1, template_rows(1, [0])), "xl/vbaProject.bin", b"\0" * 100)
    path = _write(tmp_path, "macro.xlsm", data)
    with pytest.raises(CommandError, match="宏"):
        call_command("import_records", path, "--item", "1", "--office", "zuren")


def test_zip_bomb_is_refused(clerk_of_item_offices):
    data = _with_extra_entry(workbook_bytes(1, template_rows(1, [0])), "xl/media/bomb.xml", b"\0" * (50 * 1024 * 1024))
    result = RecordImporter(
        item=Item.objects.get(no=1), office=Office.objects.get(code="zuren"), user=clerk_of_item_offices
    ).run(data)
    assert "压缩炸弹" in result.message


def test_wrong_headers_are_named(clerk_of_item_offices, tmp_path):
    header = template_headers(1)
    header[1] = "身份证"
    path = _write(tmp_path, "hdr.xlsx", workbook_bytes(1, template_rows(1, [0]), header=header))
    with pytest.raises(CommandError, match="B列应为“身份证号码”，实为“身份证”"):
        call_command("import_records", path, "--item", "1", "--office", "zuren")


def test_blank_exported_template_is_the_import_format(clerk_of_item_offices):
    out = io.BytesIO()
    UploadTemplateExporter(Item.objects.get(no=3)).write(out)
    result = RecordImporter(
        item=Item.objects.get(no=3), office=Office.objects.get(code="sheguan"), user=clerk_of_item_offices
    ).run(out.getvalue())
    assert "没有数据行" in result.message


def test_clerk_of_another_office_cannot_import(clerk_news):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        RecordImporter(item=Item.objects.get(no=1), office=Office.objects.get(code="zuren"), user=clerk_news).run(
            workbook_bytes(1, template_rows(1, [0]))
        )


@pytest.mark.parametrize("no", ItemSpec.numbers())
def test_row_validator_accepts_exactly_what_the_form_accepts(no, clerk_of_item_offices):
    """The per-row fast path decides like the item's form, on valid rows and on every single-cell corruption."""
    from django.utils import timezone

    from reporting.imports.rows import RecordRowValidator

    item = Item.objects.get(no=no)
    importer = RecordRowValidator(item=item, office=Office.objects.get(code="zuren"), user=clerk_of_item_offices)
    model, now = model_for_item(no), timezone.now()
    keys = [c.key for c in template_columns(no)]
    garbage = ["", "x", "12345", "2999-01-01", "=1+1", "男", "0" * 40, "2020/2/30", "  ", "9" * 18]
    cases = []
    for seq in range(3):
        base = {k: str(v) for k, v in sample_values(no, seq).items() if k in keys}
        if model.BUSINESS_DATE_FIELD is None:
            base["business_date"] = datetime.date(2026, 3, 3)  # on or after the sample's dates (item 9: 认定日期)
        cases.append(base)
        for key in keys:
            cases += [{**base, key: bad} for bad in garbage]
    accepted = 0
    for data in cases:
        form = importer.form_class(data=data, instance=importer.new_instance(now))
        fast = importer.row_validator.validate(dict(data), importer.new_instance(now))
        assert (fast is not None) == form.is_valid(), (data, form.errors)
        if fast is not None:
            accepted += 1
            assert [getattr(fast, k) for k in [*keys, "business_date"]] == [
                getattr(form.instance, k) for k in [*keys, "business_date"]
            ]
    assert accepted >= 3


def test_imported_identifiers_are_stored_encrypted_and_found_as_duplicates(clerk_of_item_offices):
    from django.db import connection

    item, office = Item.objects.get(no=1), Office.objects.get(code="zuren")
    data = workbook_bytes(1, template_rows(1, [0, 1]))
    assert RecordImporter(item=item, office=office, user=clerk_of_item_offices).run(data).ok
    with connection.cursor() as cursor:
        for table, column in [("credit_item1", "id_number"), ("credit_item1_history", "id_number")]:
            cursor.execute(f"SELECT {column} FROM {table}")
            assert all(value.startswith("enc1:") for (value,) in cursor.fetchall())
        cursor.execute("SELECT identifier FROM credit_subject")
        assert all(value.startswith("enc1:") for (value,) in cursor.fetchall())
    model = model_for_item(1)
    assert model.objects.filter(id_number=sample_values(1, 0)["id_number"]).count() == 1
    assert model.history.filter(id_number=sample_values(1, 0)["id_number"]).count() == 1
    again = RecordImporter(item=item, office=office, user=clerk_of_item_offices).run(data)
    assert [e.reason for e in again.errors] == ["系统中已有相同记录（身份证号码、证书编号 相同），请勿重复报送"] * 2
