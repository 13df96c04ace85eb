"""``in_chunks``: values in slices of at most ``size``, for ``__in`` look-ups of many values (SQLite caps the variables of
one query; PostgreSQL plans a list of a thousand well). ``serial_plans``: such look-ups planned without parallel
workers."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TypeVar

from django.db import connections, transaction

T = TypeVar("T")

IN_LOOKUP_SIZE = 1000


def in_chunks(values: Sequence[T], size: int = IN_LOOKUP_SIZE) -> Iterator[Sequence[T]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


@contextmanager
def serial_plans(using: str = "default") -> Iterator[None]:
    """Queries inside are planned without parallel workers (PostgreSQL; elsewhere nothing changes), the session's
    setting as before afterwards.

    For look-ups of a thousand keys by an index, each a few milliseconds: once a table passes a few hundred thousand
    rows PostgreSQL plans them with a parallel worker, whose start costs more than it saves (measured at 1M records,
    the import's duplicate check of 10,000 rows: 1.39 times its cost at 100k with the worker, 1.11–1.14 without), and on
    a shared server a worker is a core taken from another request."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('max_parallel_workers_per_gather'),"
            " set_config('max_parallel_workers_per_gather', '0', true)"
        )
        before = cursor.fetchone()[0]
        yield
        # Set back for the rest of an enclosing transaction (an exception rolls the block back, the setting with it).
        cursor.execute("SELECT set_config('max_parallel_workers_per_gather', %s, true)", [before])
