"""Approval guards: checks that the apps built on credit run inside ``record_approve``'s transaction (in the manner
of ``credit.panels`` and ``credit.signals``: credit does not know who guards). The vetting app's credit check
(信用审查) is one: an award for a subject with live dishonesty is refused unless the reviewer gives a reasoned override.

A guard is called as ``guard(record=..., user=..., override_reason=...)`` after the record has moved to 已通过 under
its row lock; it refuses by raising ``credit.services.records.RecordError`` naming a field (so the approve form and
the API show the message under it), which rolls the approval back. What a refusal must leave behind despite the
rollback (its audit entry) it attaches to the error as ``after_rollback``; whoever catches the error outside the
transaction (the approve views, the bulk approval) calls ``after_refusal``.
"""

from __future__ import annotations

from collections.abc import Callable

ApprovalGuard = Callable[..., None]

_guards: dict[str, ApprovalGuard] = {}


def register_approval_guard(name: str, guard: ApprovalGuard) -> None:
    """Add (or replace: ``ready`` may run twice in tests) the approval guard ``name``."""
    _guards[name] = guard


def run_approval_guards(*, record, user, override_reason: str = "") -> None:
    """Run every registered guard on ``record`` being approved by ``user`` (in registration order)."""
    for guard in list(_guards.values()):
        guard(record=record, user=user, override_reason=override_reason)


def after_refusal(error: Exception, *, user, request=None) -> None:
    """Once the refused approval's transaction has rolled back: do what the refusing guard asked (its audit entry).
    Any other error passes through untouched."""
    callback = getattr(error, "after_rollback", None)
    if callable(callback):
        callback(user=user, request=request)
