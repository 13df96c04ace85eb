"""Item records that may be a 处分 say so (处理性质, from the catalogue), on the form and through the API; the national
双公示 columns a clerk may enter are optional extra fields, after the Annex 1 fields."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from credit.catalog import PENALTY, ItemSpec
from credit.forms import form_for_item
from tests.factories import record_values

pytestmark = pytest.mark.django_db

ITEM = next(item for item in ItemSpec.items_with(publicity=PENALTY) if item.not_published)
NATURE, (SANCTION,) = next(iter(ITEM.not_published.items()))


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_form_offers_the_nature_with_the_penalty_as_default():
    field = form_for_item(ITEM.no).base_fields[NATURE]
    assert str(field.label) == "处理性质" and not field.required
    assert [value for value, _label in field.choices if value] == list(ITEM.field(NATURE).values)


def test_api_records_a_sanction(clerk):
    url = f"/api/v1/items/{ITEM.no}/records/"
    response = _api(clerk).post(url, {**record_values(ITEM.no), NATURE: SANCTION}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()[NATURE] == SANCTION


def test_api_defaults_to_an_administrative_penalty_and_refuses_other_values(clerk):
    url = f"/api/v1/items/{ITEM.no}/records/"
    response = _api(clerk).post(url, record_values(ITEM.no, 3), format="json")
    assert response.status_code == 201 and response.json()[NATURE] == ITEM.field(NATURE).default
    response = _api(clerk).post(url, {**record_values(ITEM.no, 4), NATURE: "警告"}, format="json")
    assert response.status_code == 400 and NATURE in response.json()


def test_amounts_are_non_negative(clerk):
    url = f"/api/v1/items/{ITEM.no}/records/"
    response = _api(clerk).post(url, {**record_values(ITEM.no, 5), "fine_amount": "-1"}, format="json")
    assert response.status_code == 400 and "fine_amount" in response.json()
