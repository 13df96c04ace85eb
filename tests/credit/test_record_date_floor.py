"""Dates before 1949 are typos or Excel's day zero, never a credit record: refused with the field named."""

import pytest

from credit.demo import sample_values
from credit.models import Item
from credit.registry import model_for_item
from credit.services import records as services

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("no", "key"), [(8, "penalty_date"), (1, "issue_date"), (1, "grant_date")])
def test_a_date_before_1949_is_refused_naming_the_field(clerk, no, key):
    item = Item.objects.get(no=no)
    data = {**sample_values(no, 3), key: "1900-01-01"}
    with pytest.raises(services.RecordError) as caught:
        services.record_create(item=item, user=clerk, data=data)
    name = str(model_for_item(no)._meta.get_field(key).verbose_name)
    assert any(f"{name}不能早于1949-01-01" in m for m in caught.value.errors[key]), caught.value.errors
    assert not item.records.exists()


def test_the_earliest_date_itself_is_accepted(clerk):
    item = Item.objects.get(no=8)
    data = {**sample_values(8, 4), "penalty_date": "1949-01-01"}
    record = services.record_create(item=item, user=clerk, data=data)
    assert record.business_date.isoformat() == "1949-01-01"
