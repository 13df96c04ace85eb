"""行政相对人类别 agrees with the credit code (double_publicity.json: "Legal-person category should agree with the
credit code's first two characters"): a 事业单位 (12…) recorded as 个体工商户 was accepted and exported in the national
双公示 file as an individual business; the placeholder code of unlicensed 个体工商户 recorded as 法人 likewise."""

import pytest

from credit.models import Item, Record
from credit.services import records as services
from tests.factories import record_values

pytestmark = pytest.mark.django_db

NEW = "/workspace/items/2/new/"


def _post(client, seq, **values):
    return client.post(NEW, {**record_values(2, seq), **values, "save": ""})


def test_a_public_institutions_code_is_no_individual_business(clerk_yijiao, client):
    client.force_login(clerk_yijiao)
    response = _post(client, 1, org_code="12360100000950284Q", subject_category="个体工商户")
    assert response.status_code == 200
    assert (
        "行政相对人类别：统一社会信用代码 12360100000950284Q 以“12”开头，不是个体工商户的代码（个体工商户的代码以“92”开头）"
        in response.content.decode()
    )
    assert not Record.objects.exists()
    assert _post(client, 1, org_code="12360100000950284Q", subject_category="法人及非法人组织").status_code == 302


def test_the_placeholder_code_is_for_individual_businesses_only(clerk_yijiao):
    data = {**record_values(2, 2), "org_code": "00000000000000000X", "subject_category": "法人及非法人组织"}
    with pytest.raises(services.RecordError) as refused:
        services.record_create(item=Item.objects.get(no=2), user=clerk_yijiao, data=data)
    assert "仅用于未取得统一社会信用代码的个体工商户，请选“个体工商户”" in str(refused.value)
    record = services.record_create(
        item=Item.objects.get(no=2), user=clerk_yijiao, data={**data, "subject_category": "个体工商户"}
    )
    assert record.pk
