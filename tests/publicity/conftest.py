"""Accounts and public entries of the publicity tests, made through the credit and publicity services."""

import pytest

from accounts.roles import Role
from tests.factories import UserFactory, clerk_of


@pytest.fixture
def reviewer(db):
    return UserFactory(username="pub_reviewer", role=Role.REVIEWER)


@pytest.fixture
def clerk_zuren(db):
    """组人处: items 1, 7, 8, 9 (and 6, which any office may report)."""
    return clerk_of("zuren", username="pub_zuren")


@pytest.fixture
def clerk_yijiao(db):
    """义教处: items 2, 3, 4."""
    return clerk_of("yijiao", username="pub_yijiao")


@pytest.fixture
def clerk_sheguan(db):
    """社管处: items 2, 3, 5, 9."""
    return clerk_of("sheguan", username="pub_sheguan")


@pytest.fixture
def build(db, reviewer, clerk_zuren, clerk_yijiao, clerk_sheguan):
    from tests.publicity.builders import Builder

    return Builder(reviewer=reviewer, zuren=clerk_zuren, yijiao=clerk_yijiao, sheguan=clerk_sheguan)
