"""Public entries of the publicity tests, made through the credit and publicity services (the accounts are the shared
ones of ``tests/roles.py``)."""

import pytest

from tests.factories.publicity import PublicEntries


@pytest.fixture
def build(db, reviewer):
    """Public entries with this test's reviewer deciding (``tests/factories/publicity.py``)."""
    return PublicEntries(reviewer)
