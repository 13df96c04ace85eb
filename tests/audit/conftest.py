"""Accounts of the audit tests: one per role."""

import pytest

from accounts.roles import Role
from tests.factories import UserFactory, clerk_of, user_with_role


@pytest.fixture
def clerk(db):
    return clerk_of("zuren")


@pytest.fixture
def reviewer(db):
    return UserFactory(username="reviewer", role=Role.REVIEWER)


@pytest.fixture
def auditor(db):
    return user_with_role(Role.AUDITOR)


@pytest.fixture
def sysadmin(db):
    return user_with_role(Role.SYSADMIN)


@pytest.fixture
def secadmin(db):
    return user_with_role(Role.SECADMIN)
