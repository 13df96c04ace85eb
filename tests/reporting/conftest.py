"""Fixtures of the reporting tests: a clerk of every office, a reviewer, approved records of any item made through the
services, media and drop dirs, and the fake municipal platform."""

from __future__ import annotations

import pytest

from credit.demo import sample_values
from credit.models import Item, Office, RecordStatus
from tests.factories import RecordFactory, reporting_office
from tests.reporting.fake_platform import serve_fake_platform


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
    """A clerk of every office that reports an item in these tests (``reporting_office``)."""
    return make_user("clerk", "clerk", tuple({reporting_office(item.no).code for item in Item.objects.all()}))


@pytest.fixture
def other_clerk(make_user):
    return make_user("other", "clerk", ("news",))


@pytest.fixture
def reviewer(make_user):
    return make_user("reviewer", "reviewer")


@pytest.fixture
def make_records(clerk, reviewer):
    """``make_records(no, n, start=0, status="approved", **overrides)`` → records of item ``no`` with the sample values
    of sequence numbers ``start`` … ``start + n - 1``, entered by the clerk for the item's reporting office and taken
    to ``status`` through the lifecycle services (approved by the reviewer)."""

    def make(no: int, n: int = 3, *, start: int = 0, status: str = RecordStatus.APPROVED, **overrides):
        office = reporting_office(no).code
        return [
            RecordFactory(
                no=no,
                clerk=clerk,
                reviewer=reviewer,
                status=status,
                office_code=office,
                **{**sample_values(no, seq), **overrides},
            )
            for seq in range(start, start + n)
        ]

    return make


@pytest.fixture
def platform():
    """The fake municipal platform (``tests/reporting/fake_platform.py``), serving while the test runs."""
    yield from serve_fake_platform()
