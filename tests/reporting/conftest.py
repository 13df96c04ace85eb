"""Fixtures of the reporting tests: a clerk of every reporting office, a clerk of none, approved records of any item
made through the services, media and drop dirs, and the fake municipal platform."""

from __future__ import annotations

import pytest

from accounts.roles import Role
from credit.demo import sample_values
from credit.models import Item, RecordStatus
from tests.factories import RecordFactory, UserFactory, clerk_of, reporting_office
from tests.reporting.fake_platform import serve_fake_platform


@pytest.fixture(autouse=True)
def _reporting_dirs(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.REPORTING_DROP_DIR = tmp_path / "drop"
    settings.REPORTING_TRANSPORT = "dropfolder"


@pytest.fixture
def clerk_of_item_offices(db):
    """A clerk of every office that reports an item in these tests (``reporting_office``: 组人处, 义教处, 社管处, 办公室)."""
    offices = {reporting_office(item.no) for item in Item.objects.all()}
    return UserFactory(username="clerk", role=Role.CLERK, offices=list(offices))


@pytest.fixture
def clerk_news(db):
    """A clerk of 新闻中心 only: none of the records these tests make are in its scope."""
    return clerk_of("news", username="other")


@pytest.fixture
def make_records(clerk_of_item_offices, reviewer):
    """``make_records(no, n, start=0, status="approved", **overrides)`` → records of item ``no`` with the sample values
    of sequence numbers ``start`` … ``start + n - 1``, entered by the clerk for the item's reporting office and taken
    to ``status`` through the lifecycle services (approved by the reviewer)."""

    def make(no: int, n: int = 3, *, start: int = 0, status: str = RecordStatus.APPROVED, **overrides):
        office = reporting_office(no).code
        return [
            RecordFactory(
                no=no,
                clerk=clerk_of_item_offices,
                reviewer=reviewer,
                status=status,
                office_code=office,
                **{**sample_values(no, seq), **overrides},
            )
            for seq in range(start, start + n)
        ]

    return make


@pytest.fixture
def platform(settings):
    """The fake municipal platform (``tests/reporting/fake_platform.py``), serving while the test runs; plain http
    on loopback, which only the test-only setting lets a delivery reach."""
    settings.REPORTING_DELIVERY_TEST_LOOPBACK = True
    yield from serve_fake_platform()
