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
