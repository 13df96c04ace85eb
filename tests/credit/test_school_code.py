"""Items whose code column reads 学校代码／统一社会信用代码 accept the 10-digit 学校标识码 (its own structural check) as
well as credit codes, in the form, the API and the import; the other items still refuse it."""

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from credit.catalog import ItemSpec
from credit.forms import form_for_item
from credit.models import Item
from credit.validators import classify_school_or_org_code, validate_school_code
from reporting.imports import RecordImporter
from tests.factories import clerk_of, record_values
from tests.factories.credit import reporting_office
from tests.reporting.workbooks import template_rows, workbook_bytes

pytestmark = pytest.mark.django_db

GOOD = "2136010001"  # 21 小学, 36 江西, serial 010001
WRONG = {
    "9936010001": "学校类别码",  # no school category 99
    "2199010001": "省级行政区划代码",  # no province 99
}

# The items (and code fields) whose column accepts a school code, and one org_code item whose column does not.
SCHOOL_ITEMS = [(s.no, f.key) for s in ItemSpec.all() for f in s.fields if f.school_code]
OTHER_ITEM = next((s.no, f.key) for s in ItemSpec.all() for f in s.fields if f.type == "org_code" and not f.school_code)


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_school_code_structure():
    validate_school_code(GOOD)
    assert classify_school_or_org_code(" 2136010001 ") == "school_code"
    assert classify_school_or_org_code("91350100M000100Y43") == "uscc"
    for code, reason in WRONG.items():
        with pytest.raises(ValidationError, match=reason):
            validate_school_code(code)
    with pytest.raises(ValidationError, match="10位学校标识码"):
        classify_school_or_org_code("21360100011")  # 11 digits: neither a school code nor an organisation code


def test_the_catalogue_marks_the_school_code_columns():
    assert {no for no, _key in SCHOOL_ITEMS} == {
        s.no for s in ItemSpec.all() for f in s.fields if f.type == "org_code" and f.name.startswith("学校代码")
    }


@pytest.mark.parametrize(("no", "key"), SCHOOL_ITEMS)
def test_the_form_accepts_a_school_code_and_refuses_a_wrong_one(no, key):
    form = form_for_item(no)(data={**record_values(no), key: GOOD})
    assert form.is_valid(), form.errors
    for code, reason in WRONG.items():
        form = form_for_item(no)(data={**record_values(no), key: code})
        assert not form.is_valid() and reason in form.errors[key][0]


def test_an_item_without_the_school_code_column_refuses_it():
    no, key = OTHER_ITEM
    form = form_for_item(no)(data={**record_values(no), key: GOOD})
    assert not form.is_valid() and key in form.errors


@pytest.mark.parametrize(("no", "key"), SCHOOL_ITEMS)
def test_the_api_accepts_a_school_code_and_refuses_a_wrong_one(no, key):
    clerk = clerk_of(reporting_office(no).code, f"clerk_school{no}")
    url = f"/api/v1/items/{no}/records/"
    response = api(clerk).post(url, {**record_values(no), key: GOOD}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()[key] == GOOD
    response = api(clerk).post(url, {**record_values(no), key: "9936010001"}, format="json")
    assert response.status_code == 400 and "学校类别码" in response.json()[key][0]


@pytest.mark.parametrize(("no", "key"), SCHOOL_ITEMS)
def test_the_import_accepts_a_school_code_and_refuses_a_wrong_one(no, key):
    clerk = clerk_of(reporting_office(no).code, f"clerk_school{no}")
    keys = [f.key for f in ItemSpec.get(no).fields]
    good, bad = template_rows(no, [0, 1])
    good[keys.index(key)], bad[keys.index(key)] = GOOD, "2199010001"
    importer = RecordImporter(item=Item.objects.get(no=no), office=reporting_office(no), user=clerk)
    result = importer.run(workbook_bytes(no, [good, bad]))
    assert not result.ok
    assert [(e.row, "省级行政区划代码" in e.reason) for e in result.errors] == [(3, True)]
    result = RecordImporter(item=Item.objects.get(no=no), office=reporting_office(no), user=clerk).run(
        workbook_bytes(no, [good])
    )
    assert result.ok, [e.as_dict() for e in result.errors]
    (record,) = result.records
    assert getattr(record, key) == GOOD and record.subject.identifier_kind == "school_code"
