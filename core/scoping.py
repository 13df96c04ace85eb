"""Office scoping: which objects a user may reach, declared once per model as a rule table.

A scoped model's queryset subclasses ``ScopedQuerySet`` and declares ``scope_rules``::

    scope_rules = {
        Role.REVIEWER: {"view": ALL, "review": ALL},
        Role.CLERK: {"view": "office", "change": "office"},
    }

role → action → rule, where a rule is ``ALL`` (every object), a lookup path from the object to an office (the user's
offices reach the object through it: ``office`` filters ``office__in=user.offices``), or a callable
``(queryset, user) → queryset`` for paths a plain filter would duplicate rows on (a many-to-many). The action ``ANY``
stands for every action of that role. Anything not declared — an unknown role, an unknown action, an anonymous or
inactive user — is denied: ``restrict`` returns ``none()``, and views turn a miss into 404 (no existence leak).

The role and offices are read from ``user.role`` and ``user.offices``; this module imports no app (it is the lowest
layer), so the roles in the tables are the apps' own ``Role`` values.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar, TypeAlias

from django.core.exceptions import PermissionDenied
from django.db import models

# Every object of the model.
ALL = "__all__"
# An action key standing for every action of a role.
ANY = "*"

Rule: TypeAlias = str | Callable[[models.QuerySet, Any], models.QuerySet]
RuleTable: TypeAlias = Mapping[str, Mapping[str, Rule]]


def is_active_user(user) -> bool:
    """Signed in and not deactivated: the guard every scope and role check starts with."""
    return user is not None and user.is_authenticated and user.is_active


class ScopedQuerySet(models.QuerySet):
    """A queryset whose ``restrict(user, action)`` follows the model's declared ``scope_rules`` (deny by default)."""

    scope_rules: ClassVar[RuleTable] = {}

    @classmethod
    def rule_for(cls, role: str, action: str) -> Rule | None:
        """The declared rule of ``role`` for ``action``, or None when there is none (deny)."""
        actions = cls.scope_rules.get(role, {})
        return actions.get(action, actions.get(ANY))

    def restrict(self, user, action: str = "view") -> ScopedQuerySet:
        """The objects ``user`` may reach for ``action``; none when the table grants nothing."""
        if not is_active_user(user):
            return self.none()
        rule = self.rule_for(user.role, action)
        if rule is None:
            return self.none()
        if rule == ALL:
            return self
        if callable(rule):
            return rule(self, user)
        return self.filter(**{f"{rule}__in": [office.pk for office in user_offices(user)]})


def user_offices(user) -> list:
    """The user's offices, read once per user object (Django's prefetch cache, which ``offices.add()``, ``remove()``,
    ``set()``, ``clear()`` and ``refresh_from_db()`` empty).

    The scope filters by these primary keys as constants rather than by a sub-query on the user's offices: PostgreSQL
    then knows which offices it is looking at, and how many records each holds. With the sub-query it assumes an
    average office; for the busiest (half of all records at a million) it then walks that office's index entry by
    entry, filtering on another column, where an index on that column finds the few rows at once (the import's
    duplicate check: 1.6 s against 0.9 s with a tenth of the records)."""
    cache = getattr(user, "_prefetched_objects_cache", {})
    if "offices" not in cache:
        models.prefetch_related_objects([user], "offices")
    return list(user.offices.all())


def require_role(user, *roles: str, message=None, office=None, error: type[Exception] = PermissionDenied) -> None:
    """Raise ``error`` (with ``message`` when given) unless ``user`` is active and holds one of ``roles``.

    With ``office``, the user must also belong to that office (a clerk acting for their own office only).
    """
    allowed = is_active_user(user) and user.role in roles
    if allowed and office is not None:
        allowed = user.offices.filter(pk=getattr(office, "pk", office)).exists()
    if not allowed:
        raise error(message) if message is not None else error()
