"""Accounts and public entries of the publicity tests, made through the credit and publicity services."""

import pytest

from accounts.roles import Role
from tests.factories import UserFactory, clerk_of
from tests.factories.publicity import PublicEntries


@pytest.fixture
def reviewer(db):
    return UserFactory(username="pub_reviewer", role=Role.REVIEWER)


@pytest.fixture
def clerk_zuren(db):
    """组人处: items 1, 7, 8, 9 (and 6, which any office may report)."""
    return clerk_of("zuren")


@pytest.fixture
def clerk_yijiao(db):
    """义教处: items 2, 3, 4."""
    return clerk_of("yijiao")


@pytest.fixture
def clerk_sheguan(db):
    """社管处: items 2, 3, 5, 9."""
    return clerk_of("sheguan")


@pytest.fixture
def build(db, reviewer):
    """Public entries with this test's reviewer deciding (``tests/factories/publicity.py``)."""
    return PublicEntries(reviewer)
