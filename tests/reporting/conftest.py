"""Fixtures of the reporting tests: a clerk per office, a reviewer, valid records of any item, media and drop dirs."""

from __future__ import annotations

import pytest
from django.utils import timezone

from credit.catalog import ItemSpec
from credit.demo import sample_values
from credit.models import Item, Office, RecordStatus
from credit.registry import model_for_item
from credit.services.records import record_create

# The office each item's records are made in: its first responsible office, 办公室 for items any office reports.
ITEM_OFFICE = {spec.no: spec.offices[0] if spec.offices else "office" for spec in ItemSpec.all()}


@pytest.fixture(autouse=True)
def _reporting_dirs(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.REPORTING_DROP_DIR = tmp_path / "drop"
    settings.REPORTING_TRANSPORT = "dropfolder"


@pytest.fixture
def make_user(django_user_model):
    def make(username: str, role: str, offices: tuple[str, ...] = ()):
        user = django_user_model.objects.create_user(username=username, password="pw-Secret-123", role=role)
        if offices:
            user.offices.set(Office.objects.filter(code__in=offices))
        return user

    return make


@pytest.fixture
def clerk(make_user):
    return make_user("clerk", "clerk", tuple(sorted(set(ITEM_OFFICE.values()))))


@pytest.fixture
def other_clerk(make_user):
    return make_user("other", "clerk", ("news",))


@pytest.fixture
def reviewer(make_user):
    return make_user("reviewer", "reviewer")


@pytest.fixture
def make_records(clerk):
    """``make_records(no, n, start=0, status="approved", **overrides)`` → list of typed records, created by the service."""

    def make(no: int, n: int = 3, *, start: int = 0, status: str = RecordStatus.APPROVED, **overrides):
        item = Item.objects.get(no=no)
        office = Office.objects.get(code=ITEM_OFFICE[no])
        records = []
        for seq in range(start, start + n):
            values = {**sample_values(no, seq), **overrides}
            records.append(record_create(item=item, user=clerk, data=values, office=office))
        model = model_for_item(no)
        if status == RecordStatus.DRAFT:
            return list(model.objects.filter(pk__in=[r.pk for r in records]).order_by("pk"))
        model.objects.filter(pk__in=[r.pk for r in records]).update(status=status, version=2, decided_at=timezone.now())
        return list(model.objects.filter(pk__in=[r.pk for r in records]).order_by("pk"))

    return make
