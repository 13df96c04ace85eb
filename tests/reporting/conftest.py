"""Fixtures of the reporting tests: a clerk per office, a reviewer, valid records of any item, media and drop dirs."""

from __future__ import annotations

import pytest
from django.utils import timezone

from credit.demo import sample_values
from credit.models import Item, Office, RecordStatus
from credit.registry import model_for_item
from credit.services.records import record_create
from tests.reporting.fake_platform import serve_fake_platform

ITEM_OFFICE = {
    1: "zuren",
    2: "sheguan",
    3: "sheguan",
    4: "yijiao",
    5: "sheguan",
    6: "office",
    7: "zuren",
    8: "zuren",
    9: "zuren",
    10: "office",
}


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


@pytest.fixture
def platform():
    """The fake municipal platform (``tests/reporting/fake_platform.py``), serving while the test runs."""
    yield from serve_fake_platform()
