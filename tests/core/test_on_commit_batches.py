"""Work collected over a transaction and done once after it commits (core.transactions): the oversight recount, the
public page cache's versions and the open-data files each go through it."""

from __future__ import annotations

import pytest
from django.db import transaction

from core.transactions import discard_batched, on_commit_batched, run_batched_now

pytestmark = pytest.mark.django_db(transaction=True)


def test_additions_over_a_transaction_are_done_once_after_it_commits():
    calls = []
    with transaction.atomic():
        on_commit_batched("t", [1, 2], calls.append)
        with transaction.atomic():  # a savepoint that commits
            on_commit_batched("t", [2, 3], calls.append)
        on_commit_batched("t", [4], calls.append)
        assert calls == []
    assert calls == [{1, 2, 3, 4}]
    on_commit_batched("t", [5], calls.append)  # outside a transaction: at once
    assert calls == [{1, 2, 3, 4}, {5}]


def test_a_rolled_back_transaction_does_nothing_and_the_next_one_starts_afresh():
    calls = []
    with pytest.raises(RuntimeError), transaction.atomic():
        on_commit_batched("t", [1], calls.append)
        raise RuntimeError
    with transaction.atomic():
        on_commit_batched("t", [2], calls.append)
    assert calls == [{2}]


def test_done_now_inside_the_transaction_or_discarded():
    calls = []
    with transaction.atomic():
        on_commit_batched("t", [1], calls.append)
        run_batched_now("t")
        assert calls == [{1}]
        on_commit_batched("t", [2], calls.append)
        discard_batched("t")
        on_commit_batched("t", [3], calls.append)
    assert calls == [{1}, {3}]
