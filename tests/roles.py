"""The shared accounts, one meaning per fixture name in every test folder (registered as a pytest plugin by
``tests/conftest.py``).

- ``clerk``: a clerk of 组人处, which reports items 1, 7, 8 and 9 (``clerk_zuren`` is the same account);
- ``clerk_out``: a clerk of 义教处, another office, outside the scope of ``clerk``'s item 8 records (``clerk_yijiao``
  is the same account);
- ``clerk_zuren``, ``clerk_yijiao``, ``clerk_sheguan``: a clerk of that office, for tests about office scope;
- ``reviewer``: a reviewer (审核员) in no office;
- ``sysadmin``, ``secadmin``, ``auditor``: the three administrator roles, in no office;
- ``clerk_client``, ``reviewer_client``: the test client signed in as ``clerk`` or ``reviewer``.

A folder that needs a differently placed account names it after what it is (``clerk_of_item_offices``,
``general_office_reviewer``), never by reusing one of these names.
"""

import pytest

from accounts.roles import Role
from tests.factories import UserFactory, clerk_of, user_with_role


@pytest.fixture
def clerk_zuren(db):
    """组人处: items 1, 7, 8, 9 (and 6 and 10, which any office may report)."""
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
def clerk(clerk_zuren):
    """A clerk of 组人处 (owns items 1, 7, 8, 9)."""
    return clerk_zuren


@pytest.fixture
def clerk_out(clerk_yijiao):
    """A clerk of 义教处, which does not own item 8 (another office's scope than ``clerk``'s)."""
    return clerk_yijiao


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


@pytest.fixture
def clerk_client(client, clerk):
    client.force_login(clerk)
    return client


@pytest.fixture
def reviewer_client(client, reviewer):
    client.force_login(reviewer)
    return client
