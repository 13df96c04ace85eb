"""Item 9 (恶意注册虚假信息): the deadline counts from the date the false registration is established (认定日期, entered
with the record), not from the report (被举报日期); the item is found through the catalogue, not by its number."""

import datetime

import pytest

from credit.catalog import ItemSpec
from credit.forms import form_for_item
from credit.services.calendar import due_date_for
from tests.factories import create_record, record_values

pytestmark = pytest.mark.django_db

# The items whose business date the clerk enters under another name than 业务发生日期 (item 9: 认定日期).
NAMED = [s for s in ItemSpec.all() if s.business_date_field is None and s.business_date_label != "业务发生日期"]
ESTABLISHED = NAMED[0] if NAMED else None


def test_the_catalogue_names_the_established_date():
    assert ESTABLISHED is not None and ESTABLISHED.business_date_label == "认定日期"
    assert "report_date" in ESTABLISHED.keys  # 被举报日期 stays an Annex 1 field


def test_the_form_asks_for_the_established_date():
    form = form_for_item(ESTABLISHED.no)()
    assert form.fields["business_date"].label == "认定日期" and form.fields["business_date"].required


def test_the_due_date_counts_from_the_established_date_not_the_report():
    reported, established = datetime.date(2026, 10, 9), datetime.date(2026, 11, 2)
    record = create_record(
        ESTABLISHED.no,
        day=reported,
        business_date=established.isoformat(),
    )
    assert record.report_date == reported and record.business_date == established
    assert record.due_date == due_date_for(established, 7).due
    assert record.due_date != due_date_for(reported, 7).due


def test_an_established_date_before_the_report_is_refused():
    data = {**record_values(ESTABLISHED.no, day=datetime.date(2026, 10, 9)), "business_date": "2026-10-08"}
    form = form_for_item(ESTABLISHED.no)(data=data)
    assert not form.is_valid()
    assert form.errors["business_date"] == ["认定日期不能早于被举报日期。"]
