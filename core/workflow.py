"""One lifecycle transition for every reviewed object (records, licensing decisions, indicators).

A transition re-reads the object under a row lock, refuses a state that does not allow it (``StateError``, naming
the current state), sets the status and who decided when, saves only what changed and writes the domain event. Two
concurrent actions on the same object are thereby serialised: whichever comes second is told what happened.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Collection, Mapping
from typing import Any, TypeVar

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import StateError

M = TypeVar("M", bound=models.Model)

_DECISION_FIELDS = ("decided_by", "decided_at", "decision_reason")


def _locked(obj: M) -> M:
    return type(obj)._default_manager.select_for_update().get(pk=obj.pk)


def _has_field(obj: models.Model, name: str) -> bool:
    try:
        obj._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def transition(
    obj: M,
    *,
    allowed_from: Collection[str],
    to: str,
    user,
    reason: str = "",
    decides: bool = True,
    values: Callable[[M, datetime.datetime], Mapping[str, Any]] | Mapping[str, Any] | None = None,
    lock: Callable[[M], M] | None = _locked,
    stale: Callable[[M], StateError] | None = None,
    error: type[StateError] = StateError,
    change_reason: str | None = "",
    event: Callable[[M, str, datetime.datetime], Any] | None = None,
) -> M:
    """Move ``obj`` from one of ``allowed_from`` to ``to`` and return it (the locked, saved copy).

    * ``lock`` re-reads ``obj`` under a row lock (default: ``select_for_update`` on its model); ``None`` when the
      caller holds the lock already. Call it inside a transaction.
    * A current state outside ``allowed_from`` raises ``stale(obj)``, or ``error`` with a message naming the state.
    * ``decides``: the move is a decision, so ``decided_by``/``decided_at``/``decision_reason`` are set to ``user``,
      now and ``reason`` where the model has those fields (a submission or an expiry is no decision).
    * ``values``: further fields to set, or a function of the locked object and now returning them (e.g. a version).
    * ``change_reason``: the history row's reason; ``""`` means ``"<to>:<reason>"``, ``None`` none. The acting user
      is the history row's user, so the audit log names who decided also outside a request (a ``None`` user, e.g.
      a scheduled job, leaves it to the request, if any).
    * ``event(obj, from_status, now)`` writes the domain event (timeline) after the save.
    """
    if lock is not None:
        obj = lock(obj)
    if obj.status not in allowed_from:
        if stale is not None:
            raise stale(obj)
        raise error(
            _("操作未执行：当前状态为“%(status)s”，可能已被他人处理，请刷新页面。")
            % {"status": obj.get_status_display()}
        )
    now = timezone.now()
    before = obj.status
    changes: dict[str, Any] = {"status": to}
    if decides:
        decision = dict(zip(_DECISION_FIELDS, (user, now, reason), strict=True))
        changes.update({name: value for name, value in decision.items() if _has_field(obj, name)})
    changes.update((values(obj, now) if callable(values) else values) or {})
    for name, value in changes.items():
        setattr(obj, name, value)
    if change_reason is not None:
        obj._change_reason = change_reason or f"{to}:{reason}"[:100]
    if user is not None:
        obj._history_user = user
    obj.save(update_fields=list(changes))
    if event is not None:
        event(obj, before, now)
    return obj
