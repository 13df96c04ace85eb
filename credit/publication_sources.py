"""双公示 decisions kept outside the ten items: the licensing decisions (行政许可), which the work plan's indicator 3
("报送本部门行政许可和行政处罚等双公示内容") measures beside the penalties. The app that keeps them and knows when each
was made public and delivered registers a source here (in its ``AppConfig.ready``, as with ``credit.panels``);
oversight adds what the sources give to its 迟报率 without importing that app.

A source is called with the first and last decision date of a period and the offices asked about, and gives one
``PublicationFact`` per decision (approved at least once: a draft is no decision yet).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class PublicationFact:
    """One 双公示 decision: its office, decision date, and when it was first made public and first delivered to the
    municipal platform (None: not yet)."""

    office_id: int
    decision_date: datetime.date
    published_at: datetime.datetime | None
    delivered_at: datetime.datetime | None


# (first decision date, last decision date, office ids) → the facts of those offices' decisions in that range.
PublicationSource = Callable[[datetime.date, datetime.date, Collection[int]], Iterable[PublicationFact]]

_sources: dict[str, PublicationSource] = {}


def register_publication_source(*, name: str, source: PublicationSource) -> None:
    """Add (or replace: ``ready`` may run twice in tests) the source ``name``."""
    _sources[name] = source


def publication_facts(
    *, start: datetime.date, end: datetime.date, office_ids: Collection[int]
) -> Iterator[PublicationFact]:
    """The facts every registered source gives for decisions dated ``start`` to ``end`` (inclusive) of ``office_ids``."""
    for name in sorted(_sources):
        yield from _sources[name](start, end, office_ids)
