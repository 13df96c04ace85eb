"""Panels that the apps built on credit add to credit's record page (in the manner of NetBox's view registry and
pretix's ``order_info`` signal): credit's page shows what the column or reporting know about a record without
importing them. An app registers its panels in its ``AppConfig.ready``.

A panel belongs to a slot of the page:

* ``facts``: ``<dt>/<dd>`` pairs appended to the record's 报送信息 list;
* ``approve``: inside the reviewer's approve form (e.g. the publication the approval makes);
* ``cards``: a ``<section class="card">`` after the record's history.

The subject page (``/workspace/subjects/<id>/``) has one slot of its own: ``register_subject_panel`` adds a card
after the subject's facts (e.g. vetting's credit report link and credit evaluation).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from credit.models import Record

SLOTS = ("facts", "approve", "cards")

# The context a panel's template gets besides the page's ``record`` (and the request's ``user``); None hides the
# panel for this record. Extra keyword arguments come from the view (e.g. a bound form re-shown with its errors).
PanelContext = Callable[..., Mapping[str, Any] | None]


@dataclass(frozen=True)
class RecordPanel:
    name: str
    slot: str
    template: str
    context: PanelContext
    order: int = 100


_panels: dict[str, RecordPanel] = {}


def register_record_panel(*, name: str, slot: str, template: str, context: PanelContext, order: int = 100) -> None:
    """Add (or replace: ``ready`` may run twice in tests) the panel ``name`` to the record page's ``slot``."""
    if slot not in SLOTS:
        raise ValueError(f"unknown record page slot {slot!r}; one of {SLOTS}")
    _panels[name] = RecordPanel(name=name, slot=slot, template=template, context=context, order=order)


def record_panels(
    request: HttpRequest, record: Record, *, given: Mapping[str, Mapping[str, Any]] | None = None
) -> dict[str, list[SafeString]]:
    """The rendered panels of ``record``'s page per slot, in ``order``; ``given`` passes a panel (by name) extra
    keyword arguments for its context function."""
    given = given or {}
    rendered: dict[str, list[SafeString]] = {slot: [] for slot in SLOTS}
    for panel in sorted(_panels.values(), key=lambda p: (p.order, p.name)):
        context = panel.context(request, record, **given.get(panel.name, {}))
        if context is None:
            continue
        # render_to_string's result is already safe: the panel's template escaped what it shows.
        rendered[panel.slot].append(render_to_string(panel.template, {"record": record, **context}, request=request))
    return rendered


# Short notes an app adds to a record's row in a list (the review queue), e.g. the credit check's "失信 2 条": given
# the listed records, one call answers all of them (no query per row) with record id → texts.
RecordBadges = Callable[[HttpRequest, list], Mapping[int, list[str]]]

_badges: dict[str, RecordBadges] = {}


def register_record_badges(*, name: str, badges: RecordBadges) -> None:
    """Add (or replace) the row badges ``name``."""
    _badges[name] = badges


def record_badges(request: HttpRequest, records: list) -> list:
    """``records`` with ``badges`` (a list of texts) set on each from every registered provider."""
    for record in records:
        record.badges = []
    by_id = {record.pk: record for record in records}
    for name in sorted(_badges):
        for pk, texts in _badges[name](request, records).items():
            if pk in by_id:
                by_id[pk].badges.extend(texts)
    return records


# Cards an app adds to the subject page: the context function gets the request and the subject (already in the
# user's scope); None hides the card.
SubjectPanelContext = Callable[[HttpRequest, Any], Mapping[str, Any] | None]


@dataclass(frozen=True)
class SubjectPanel:
    name: str
    template: str
    context: SubjectPanelContext
    order: int = 100


_subject_panels: dict[str, SubjectPanel] = {}


def register_subject_panel(*, name: str, template: str, context: SubjectPanelContext, order: int = 100) -> None:
    """Add (or replace) the card ``name`` of the subject page."""
    _subject_panels[name] = SubjectPanel(name=name, template=template, context=context, order=order)


def subject_panels(request: HttpRequest, subject) -> list[SafeString]:
    """The rendered cards of ``subject``'s page, in ``order``."""
    rendered = []
    for panel in sorted(_subject_panels.values(), key=lambda p: (p.order, p.name)):
        context = panel.context(request, subject)
        if context is not None:
            rendered.append(render_to_string(panel.template, {"subject": subject, **context}, request=request))
    return rendered
