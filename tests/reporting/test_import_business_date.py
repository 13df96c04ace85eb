"""The optional trailing business-date column of the items whose business date is not an Annex 1 field: an import
stores each row's own date and the deadline (timeliness) counts from it; the Annex 1 columns stay first and exact."""

import datetime

import pytest

from credit.catalog import ItemSpec
from credit.models import Item, Office
from credit.services.calendar import due_date_for, working_days_between
from reporting.columns import business_date_column, template_headers, upload_columns
from reporting.imports import RecordImporter
from tests.reporting.workbooks import template_rows, workbook_bytes

pytestmark = pytest.mark.django_db

# The items whose business date the clerk enters (no Annex 1 field holds it), from the catalogue.
ENTERED = [spec.no for spec in ItemSpec.all() if spec.business_date_field is None]


def _office(no: int) -> Office:
    from tests.factories.credit import reporting_office

    return reporting_office(no)


def test_the_catalogue_says_which_items_get_the_column():
    assert ENTERED  # items 3, 5, 6 (业务发生日期) and 9 (认定日期) in the current catalogue
    for spec in ItemSpec.all():
        column = business_date_column(spec.no)
        if spec.business_date_field:
            assert column is None and upload_columns(spec.no) == upload_columns(spec.no)[: len(spec.fields)]
        else:
            assert column.name == spec.business_date_label and column.type == "date" and not column.required
            assert [c.name for c in upload_columns(spec.no)] == [*template_headers(spec.no), column.name]


@pytest.mark.parametrize("no", ENTERED)
def test_an_import_with_the_business_date_column_stores_it_and_timeliness_uses_it(no, clerk_of_item_offices):
    day = datetime.date(2026, 11, 2)  # long before the import: late entry must show
    late_row = template_rows(no, [0])[0] + [day]
    plain_row = template_rows(no, [1])[0] + [None]  # left empty: the import's date
    header = [*template_headers(no), business_date_column(no).name]
    result = RecordImporter(item=Item.objects.get(no=no), office=_office(no), user=clerk_of_item_offices).run(
        workbook_bytes(no, [late_row, plain_row], header=header)
    )
    assert result.ok, (result.message, [e.as_dict() for e in result.errors])
    late, plain = sorted(result.records, key=lambda r: r.business_date)
    assert late.business_date == day
    assert (late.due_date, late.due_date_provisional) == tuple(vars(due_date_for(day, 7)).values())
    assert late.is_overdue  # measured on the real date, not the import's
    assert plain.business_date > day and working_days_between(plain.business_date, plain.due_date) == 7


@pytest.mark.parametrize("no", ENTERED[:1])
def test_a_bad_business_date_cell_is_refused_naming_the_column(no, clerk_of_item_offices):
    header = [*template_headers(no), business_date_column(no).name]
    rows = [template_rows(no, [0])[0] + ["2999-01-01"]]
    result = RecordImporter(item=Item.objects.get(no=no), office=_office(no), user=clerk_of_item_offices).run(
        workbook_bytes(no, rows, header=header)
    )
    assert not result.ok and not result.records
    (error,) = result.errors
    assert error.column == business_date_column(no).name and "不能晚于今天" in error.reason


def test_an_import_without_the_column_still_works(clerk_of_item_offices):
    no = ENTERED[0]
    result = RecordImporter(item=Item.objects.get(no=no), office=_office(no), user=clerk_of_item_offices).run(
        workbook_bytes(no, template_rows(no, [0]))
    )
    assert result.ok and len(result.records) == 1


def test_an_item_whose_date_is_an_annex_field_refuses_the_extra_column(clerk_of_item_offices):
    no = next(spec.no for spec in ItemSpec.all() if spec.business_date_field)
    header = [*template_headers(no), "业务发生日期"]
    result = RecordImporter(item=Item.objects.get(no=no), office=_office(no), user=clerk_of_item_offices).run(
        workbook_bytes(no, template_rows(no, [0]), header=header)
    )
    assert "多余的列" in result.message
