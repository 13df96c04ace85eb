"""Public entries of the publicity tests, made through the credit and publicity services (the accounts are the shared
ones of ``tests/roles.py``)."""

import time

import pytest

from tests.factories.publicity import PublicEntries


@pytest.fixture
def build(db, reviewer):
    """Public entries with this test's reviewer deciding (``tests/factories/publicity.py``)."""
    return PublicEntries(reviewer)


@pytest.fixture
def window_clock(monkeypatch):
    """The clock stood five seconds into the current hour (the start of every rate-limit window: an hour and its
    divisors) and moved only by the test (``clock[0] += seconds``), so counts made in one window are still there when
    the test looks; with the real clock a test that ran across a window's end found its counts started afresh."""
    clock = [float(int(time.time()) // 3600 * 3600 + 5)]
    monkeypatch.setattr(time, "time", lambda: clock[0])
    return clock
