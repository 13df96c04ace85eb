"""One account per role, shared by every test folder (registered as a pytest plugin by ``tests/conftest.py``)."""

import pytest

from accounts.roles import Role
from tests.factories import UserFactory, clerk_of, user_with_role


@pytest.fixture
def clerk(db):
    """A clerk of 组人处 (owns items 1, 7, 8, 9)."""
    return clerk_of("zuren")


@pytest.fixture
def reviewer(db):
    return UserFactory(username="reviewer", role=Role.REVIEWER)


@pytest.fixture
def sysadmin(db):
    return user_with_role(Role.SYSADMIN)


@pytest.fixture
def secadmin(db):
    return user_with_role(Role.SECADMIN)


@pytest.fixture
def auditor(db):
    return user_with_role(Role.AUDITOR)
