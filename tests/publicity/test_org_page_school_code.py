"""A school identified by its 10-digit 学校标识码 (accepted for the school items) has its public organisation page,
like one identified by a credit code; a malformed code still has none."""

import pytest

from credit.catalog import ItemSpec

pytestmark = pytest.mark.django_db

SCHOOL_CODE = "2136010001"  # 21 小学, 36 江西
PENALTY_ITEM, CODE_FIELD = next(
    (s.no, f.key)
    for s in ItemSpec.all()
    if s.publicity == "double_publicity_penalty"
    for f in s.fields
    if f.school_code
)


def test_a_school_published_under_its_school_code_has_an_organisation_page(build, client):
    pub = build.penalty(PENALTY_ITEM, **{CODE_FIELD: SCHOOL_CODE})
    page = client.get(f"/org/{SCHOOL_CODE}/")
    assert page.status_code == 200
    assert pub.subject_name in page.content.decode()


def test_a_malformed_school_code_has_no_organisation_page(client):
    assert client.get("/org/9936010001/").status_code == 404
