"""The national 双公示 penalty row (R5): 处罚有效期 is the penalty's own publicity end, fines, confiscations, licences
and the legal representative are filled from what the clerk entered, an individual business is one, the date format is
a setting; and the national columns a clerk enters with the record publish on approval without retyping."""

from __future__ import annotations

import decimal
import io

import openpyxl
import pytest

from credit.catalog import PENALTY, ItemSpec
from credit.models import Item, Office
from credit.registry import model_for_item
from publicity.models import Publication
from publicity.panels import approve_form_for
from publicity.services.approvals import record_approve_and_publish
from publicity.services.publications import add_months, typed_record
from reporting.columns import optional_columns, template_headers
from reporting.double_publicity import PENALTY_CODES
from reporting.exporters import DoublePublicityPenaltyExporter, UploadTemplateExporter
from reporting.imports import RecordImporter
from tests.factories.credit import days_ago
from tests.factories.publicity import PublicEntries
from tests.reporting.workbooks import template_rows, workbook_bytes

pytestmark = pytest.mark.django_db

ORG_ITEM = next(i for i in ItemSpec.items_with(publicity=PENALTY) if not i.is_natural_person)
PERSON_ITEM = next(i for i in ItemSpec.items_with(publicity=PENALTY) if i.is_natural_person)


def _export(no: int, **settings_kwargs) -> list[dict]:
    out = io.BytesIO()
    DoublePublicityPenaltyExporter(no, model_for_item(no).objects.all()).write(out)
    rows = list(openpyxl.load_workbook(out).worksheets[0].iter_rows(values_only=True))
    return [dict(zip(PENALTY_CODES, row, strict=True)) for row in rows[2:]]


def test_cf_yxq_is_the_penalty_publicity_end_not_the_record_validity(reviewer):
    build = PublicEntries(reviewer)
    pub = build.penalty(PERSON_ITEM.no, day=days_ago(5))
    unpublished = build.record(PERSON_ITEM.no, day=days_ago(5))
    rows = {row["cf_wsh"]: row for row in _export(PERSON_ITEM.no)}
    assert rows[pub.document_number]["cf_yxq"] == pub.publicity_end.isoformat()
    # Not yet published: the default of the period rules (the minimum for its category), not five years.
    other = rows[typed_record(unpublished).decision_number]
    assert other["cf_yxq"] == add_months(days_ago(5), 3).isoformat()
    assert other["cf_yxq"] != unpublished.validity_end.isoformat()


def test_fine_confiscation_licence_and_legal_representative_are_exported(reviewer):
    build = PublicEntries(reviewer)
    build.record(
        ORG_ITEM.no,
        day=days_ago(5),
        penalty_type="罚款",
        fine_amount="1.5",
        confiscation_amount="0.2",
        licence_affected="民办学校办学许可证 教民136010070000001号",
        legal_representative="张建国",
        decision_number="洪教罚〔2026〕31号",
        offence_type="违规办学",
    )
    (row,) = _export(ORG_ITEM.no)
    assert (row["cf_nr_fk"], row["cf_nr_wfff"]) == ("1.5", "0.2")
    assert row["cf_nr_zkdx"] == "民办学校办学许可证 教民136010070000001号" and row["cf_frdb"] == "张建国"
    assert row["cf_wsh"] == "洪教罚〔2026〕31号" and row["cf_wfxw"] == "违规办学"


def test_an_individual_business_is_exported_as_one(reviewer):
    build = PublicEntries(reviewer)
    # A licensed individual business: its credit code begins 92 (a 12… code is a 事业单位's and is refused with it).
    build.record(ORG_ITEM.no, day=days_ago(5), subject_category="个体工商户", org_code="92360100123456788R")
    (row,) = _export(ORG_ITEM.no)
    assert row["cf_xdr_lb"] == "个体工商户"


def test_date_format_is_a_setting(reviewer, settings):
    settings.DOUBLE_PUBLICITY_DATE_FORMAT = "%Y/%m/%d"
    build = PublicEntries(reviewer)
    record = build.record(PERSON_ITEM.no, day=days_ago(5))
    (row,) = _export(PERSON_ITEM.no)
    assert row["cf_jdrq"] == typed_record(record).penalty_date.strftime("%Y/%m/%d")


def test_clerk_entered_national_columns_publish_on_approval_without_retyping(reviewer):
    build = PublicEntries(reviewer)
    record = build.record(
        PERSON_ITEM.no,
        status="submitted",
        day=days_ago(5),
        offence_type="违规有偿补课",
        penalty_basis="《中小学教师违反职业道德行为处理办法》第四条",
        penalty_category="警告",
        fine_amount="0.5",
    )
    form = approve_form_for(record)
    assert form.initial["offence_type"] == "违规有偿补课" and form.initial["penalty_category"] == "警告"
    assert form.initial["penalty_basis"] == "《中小学教师违反职业道德行为处理办法》第四条"
    outcome = record_approve_and_publish(record=record, user=reviewer)
    assert outcome.published, outcome.publication_missing
    pub = Publication.objects.get(record=record)
    assert pub.offence_type == "违规有偿补课" and pub.penalty_category == "警告"
    assert typed_record(record).fine_amount == decimal.Decimal("0.5")


def test_import_takes_the_optional_trailing_columns(clerk_of_item_offices):
    no = PERSON_ITEM.no
    names = [c.name for c in optional_columns(no)]
    assert names[0] == "处理性质"
    rows = [row + ["处分"] for row in template_rows(no, range(1))] + template_rows(no, range(1, 2))
    office = Office.objects.get(code=PERSON_ITEM.offices[0])
    result = RecordImporter(item=Item.objects.get(no=no), office=office, user=clerk_of_item_offices).run(
        workbook_bytes(no, rows, header=[*template_headers(no), names[0]])
    )
    assert not result.errors, result.errors
    natures = list(model_for_item(no).objects.order_by("pk").values_list("nature", flat=True))
    assert natures == ["处分", "行政处罚"]  # an empty cell takes the catalogue default


def test_import_without_optional_columns_keeps_the_annex_columns_exact(clerk_of_item_offices):
    no = PERSON_ITEM.no
    office = Office.objects.get(code=PERSON_ITEM.offices[0])
    result = RecordImporter(item=Item.objects.get(no=no), office=office, user=clerk_of_item_offices).run(
        workbook_bytes(no, template_rows(no, range(1)))
    )
    assert not result.errors and model_for_item(no).objects.get().nature == "行政处罚"
    wrong = [*template_headers(no), "处罚类别"]  # an optional column out of its order
    result = RecordImporter(item=Item.objects.get(no=no), office=office, user=clerk_of_item_offices).run(
        workbook_bytes(no, template_rows(no, range(2, 3)), header=wrong)
    )
    assert result.errors or result.message


@pytest.mark.parametrize("no", ItemSpec.numbers())
def test_blank_template_instructions_list_every_optional_column_in_its_order(no):
    out = io.BytesIO()
    UploadTemplateExporter(Item.objects.get(no=no)).write(out)
    sheet = openpyxl.load_workbook(io.BytesIO(out.getvalue()))["填写说明"]
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]]
    optional = [c.name for c in optional_columns(no)]
    assert names[: len(template_headers(no)) + len(optional)] == [*template_headers(no), *optional]
    if optional:
        # The business-date column (where the catalogue says) comes before the national ones, and a note says so.
        assert any(n.startswith("附件1的列之后可依次追加选填列：" + "、".join(optional)) for n in names)
    spec = ItemSpec.get(no)
    if spec.business_date_field is None:
        assert optional[0] == spec.business_date_label
