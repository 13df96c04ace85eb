"""An import never renames a subject: a row naming a known ID number or credit code otherwise than it is registered
(or than an earlier row of the file) is refused on its name column with the reason; the import saves nothing."""

import pytest

from credit.models import Item, Office, Subject
from credit.registry import model_for_item
from reporting.columns import template_columns
from reporting.imports import RecordImporter
from tests.factories import create_record
from tests.reporting.workbooks import template_rows, workbook_bytes

pytestmark = pytest.mark.django_db

SCHOOL = {"org_name": "南昌市外国语学校", "org_code": "123601000003959541"}
KEYS = [c.key for c in template_columns(6)]
NAME_COLUMN = next(c.name for c in template_columns(6) if c.key == "org_name")


def _import(clerk, rows):
    return RecordImporter(item=Item.objects.get(no=6), office=Office.objects.get(code="zuren"), user=clerk).run(
        workbook_bytes(6, rows)
    )


def _row(seq, **values):
    row = template_rows(6, [seq])[0]
    for key, value in values.items():
        row[KEYS.index(key)] = value
    return row


def test_an_import_row_naming_a_code_known_only_to_another_office_is_imported_as_entered(clerk, clerk_out):
    """A refusal would reveal the other office's record (a cross-office oracle): the row is imported under its own
    name, the subject keeps its name, and the reviewer sees the conflict on the record page."""
    penalty = create_record(2, clerk_out, **SCHOOL)
    result = _import(clerk, [_row(0, org_code=SCHOOL["org_code"], org_name="南昌市某某培训学校"), _row(1)])
    assert not result.errors
    assert model_for_item(6).objects.filter(org_name="南昌市某某培训学校").exists()
    assert Subject.objects.get(pk=penalty.subject_id).name == SCHOOL["org_name"]


def test_an_import_row_naming_a_known_code_otherwise_is_refused_on_the_name_column(clerk):
    create_record(6, clerk, **SCHOOL)  # 组人处 has a record of the school
    result = _import(clerk, [_row(0, org_code=SCHOOL["org_code"], org_name="南昌市某某培训学校"), _row(1)])
    [error] = result.errors
    assert (error.row, error.column, error.value) == (2, NAME_COLUMN, "南昌市某某培训学校")
    assert "确认主体名称不同" in error.reason
    assert model_for_item(6).objects.count() == 1


def test_the_reason_names_the_registered_name_when_the_clerk_may_see_it(clerk):
    create_record(6, clerk, **SCHOOL)
    result = _import(clerk, [_row(0, org_code=SCHOOL["org_code"], org_name="南昌市某某培训学校")])
    [error] = result.errors
    assert SCHOOL["org_name"] in error.reason and "南昌市某某培训学校" in error.reason


def test_two_rows_naming_one_new_code_differently_are_refused(clerk):
    result = _import(
        clerk,
        [
            _row(0, org_code=SCHOOL["org_code"], org_name="甲学校"),
            _row(1, org_code=SCHOOL["org_code"], org_name="乙学校"),
        ],
    )
    assert [(e.row, e.column) for e in result.errors] == [(3, NAME_COLUMN)]
    assert "第 2 行" in result.errors[0].reason and "甲学校" in result.errors[0].reason
    assert not Subject.objects.exists()


def test_an_import_row_with_the_registered_name_is_saved(clerk, clerk_out):
    penalty = create_record(2, clerk_out, **SCHOOL)
    result = _import(clerk, [_row(0, **SCHOOL)])
    assert result.ok, result.errors
    assert model_for_item(6).objects.get().subject_id == penalty.subject_id
