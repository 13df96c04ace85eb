"""Red-list entries published while the reporting office stood as 决定机关 get the bureau's name from the data
migration; an authority corrected on an objection stays as corrected."""

from importlib import import_module

import pytest
from django.apps import apps
from django.conf import settings
from django.utils import timezone

from credit.catalog import ItemSpec
from publicity.models import Publication

pytestmark = pytest.mark.django_db

BUREAU_AWARD = next(
    s.no for s in ItemSpec.all() if s.publicity == "red_list" and s.red_list_entry.authority == settings.BUREAU_NAME
)
migration = import_module("publicity.migrations.0012_red_list_authority_is_the_bureau")


def test_old_red_list_entries_name_the_bureau_not_the_office(build):
    stale, corrected = build.red(BUREAU_AWARD), build.red(BUREAU_AWARD)
    Publication.objects.filter(pk=stale.pk).update(authority="办公室")
    Publication.objects.filter(pk=corrected.pk).update(authority="南昌市人民政府", corrected_at=timezone.now())
    migration.forwards(apps, None)
    stale.refresh_from_db()
    corrected.refresh_from_db()
    assert stale.authority == settings.BUREAU_NAME
    assert corrected.authority == "南昌市人民政府"
