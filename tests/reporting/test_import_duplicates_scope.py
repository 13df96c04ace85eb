"""The import's duplicate check looks only at records the importing clerk may see, so an upload cannot probe another
office's non-public records (a refusal naming the row would tell the clerk the other office holds one)."""

import pytest

from credit.models import Item, Office, RecordStatus
from credit.registry import model_for_item
from reporting.imports import RecordImporter
from tests.reporting.workbooks import template_rows, workbook_bytes

pytestmark = pytest.mark.django_db


def test_another_offices_submitted_record_is_not_revealed_to_an_importing_clerk(make_records, clerk_news):
    """Item 10 (any office reports): 办公室 holds a submitted, non-public record; 新闻中心's clerk uploads the same
    natural key and gets no refusal about it; the row is imported into 新闻中心's own scope."""
    theirs = make_records(10, 1, status=RecordStatus.SUBMITTED)[0]
    assert theirs.office.code != "news"
    result = RecordImporter(item=Item.objects.get(no=10), office=Office.objects.get(code="news"), user=clerk_news).run(
        workbook_bytes(10, template_rows(10, [0]))
    )
    assert not any("系统中已有相同记录" in e.reason for e in result.errors), result.errors
    assert result.ok, result.errors
    assert list(model_for_item(10).objects.filter(office__code="news").values_list("pk", flat=True)) != []


def test_a_duplicate_of_the_clerks_own_office_is_still_refused(make_records, clerk_of_item_offices):
    make_records(10, 1, status=RecordStatus.SUBMITTED)
    office = Office.objects.order_by("pk").first()  # 办公室, where make_records puts item 10
    result = RecordImporter(item=Item.objects.get(no=10), office=office, user=clerk_of_item_offices).run(
        workbook_bytes(10, template_rows(10, [0]))
    )
    assert [e.reason for e in result.errors] == [
        "系统中已有相同记录（实施对象代码/统一社会信用代码、实施日期 相同），请勿重复报送"
    ]


def test_a_record_saved_on_the_form_while_the_file_was_checked_refuses_its_row(clerk_of_item_offices, monkeypatch):
    """The clerk uploads a file; while its rows are being checked, the same decision is saved on the form (or the same
    file, uploaded twice at once, is saved by the other upload). The rows are looked up again under the item's write
    lock before anything is saved: the row is refused as it would have been a moment later, nothing is saved twice."""
    from credit.demo import sample_values
    from credit.services.records import record_create
    from reporting.imports.rows import RecordRowValidator

    item, office = Item.objects.get(no=1), Office.objects.get(code="zuren")
    check = RecordRowValidator.validate

    def check_then_the_form_saves(self, rows):
        checked = check(self, rows)
        record_create(item=item, user=clerk_of_item_offices, data=sample_values(1, 1), office=office)
        return checked

    monkeypatch.setattr(RecordRowValidator, "validate", check_then_the_form_saves)
    result = RecordImporter(item=item, office=office, user=clerk_of_item_offices).run(
        workbook_bytes(1, template_rows(1, [0, 1]))
    )

    assert [(e.row, e.reason) for e in result.errors] == [
        (3, "系统中已有相同记录（身份证号码、证书编号 相同），请勿重复报送")
    ]
    assert model_for_item(1).objects.count() == 1  # the form's record only: the file saved nothing
