"""Accounts and records of the credit tests beyond the shared role accounts of ``tests/roles.py``."""

import pytest

from accounts.roles import Role
from tests.factories import UserFactory, create_record


@pytest.fixture
def second_reviewer(db):
    return UserFactory(username="reviewer2", role=Role.REVIEWER)


@pytest.fixture
def make_record(clerk, reviewer):
    """``make_record(no=8, status="submitted", ...)``: a record of the clerk's office through the services."""

    def make(no: int = 8, status: str = "draft", by=None, **kwargs):
        return create_record(no, by or clerk, status=status, reviewer=reviewer, **kwargs)

    return make
