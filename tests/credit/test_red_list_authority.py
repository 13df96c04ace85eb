"""The red list's 决定机关 is the bureau, or the awarding body entered with the record, never an internal office."""

import pytest
from django.conf import settings

from credit.catalog import RED_LIST, ItemSpec
from publicity.models import Publication
from tests.factories import create_record

pytestmark = pytest.mark.django_db

RED_LIST_ITEMS = ItemSpec.items_with(publicity=RED_LIST)


def test_no_red_list_item_names_the_reporting_office_as_authority():
    for spec in RED_LIST_ITEMS:
        assert "{office}" not in spec.red_list_entry.authority, spec.no


@pytest.mark.parametrize("spec", RED_LIST_ITEMS, ids=lambda s: str(s.no))
def test_an_approved_award_is_published_with_the_bureau_or_the_awarding_body(spec):
    record = create_record(spec.no, status="approved")
    publication = Publication.objects.get(record=record)
    assert publication.authority not in {o.name for o in type(record.office).objects.all()}
    assert publication.authority == spec.red_list_entry.authority.format_map(
        {key: getattr(record, key) for key in record.field_keys()}
    )
    assert publication.authority in (settings.BUREAU_NAME, *(str(getattr(record, k)) for k in record.field_keys()))
