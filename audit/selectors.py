"""Reading the audit log: the auditor's filtered view."""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.db.models import Q, QuerySet
from django.utils import timezone

from audit.models import AuditEvent


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def audit_event_list(*, filters: Mapping) -> QuerySet[AuditEvent]:
    """Events matching the cleaned filters of ``AuditFilterForm`` (user, action, outcome, date range, object)."""
    qs = AuditEvent.objects.all()
    if filters.get("user"):
        qs = qs.filter(username__icontains=filters["user"])
    if filters.get("action"):
        qs = qs.filter(action=filters["action"])
    if filters.get("outcome"):
        qs = qs.filter(outcome=filters["outcome"])
    # The calendar's first and last days bound nothing (and have no UTC midnight / next day to compute).
    if filters.get("date_from") and filters["date_from"] > datetime.date.min:
        qs = qs.filter(at__gte=_day_start(filters["date_from"]))
    if filters.get("date_to") and filters["date_to"] < datetime.date.max:
        qs = qs.filter(at__lt=_day_start(filters["date_to"] + datetime.timedelta(days=1)))
    if filters.get("object_type"):
        qs = qs.filter(object_type__icontains=filters["object_type"])
    if filters.get("object_id"):
        qs = qs.filter(object_id=filters["object_id"])
    if filters.get("q"):
        q = filters["q"]
        qs = qs.filter(Q(object_repr__icontains=q) | Q(path__icontains=q) | Q(ip__startswith=q))
    return qs.order_by("-at", "-id")
