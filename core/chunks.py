"""``in_chunks``: values in slices of at most ``size``, for ``__in`` look-ups of many values (SQLite caps the variables of
one query; PostgreSQL plans a list of a thousand well)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")

IN_LOOKUP_SIZE = 1000


def in_chunks(values: Sequence[T], size: int = IN_LOOKUP_SIZE) -> Iterator[Sequence[T]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]
