"""Showing personal data (full ID numbers) to staff: each showing is audited and its response kept out of caches."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Model

from audit.models import AuditAction
from audit.services import audit_log
from core.privacy import mark_personal_data
from credit.fields import PERSONAL_KEYS


def personal_data_shown(
    request, *, fields: Sequence[str], obj: Model | None = None, detail: dict[str, Any] | None = None, **audit: Any
) -> None:
    """Record that ``request``'s response shows the full values of ``fields`` (``view_personal_data``, field names
    only, never the values) and mark the response uncacheable (``core.privacy``)."""
    audit_log(
        request=request,
        action=AuditAction.VIEW_PERSONAL_DATA,
        obj=obj,
        detail={"fields": list(fields), **(detail or {})},
        **audit,
    )
    mark_personal_data(request)


def records_shown(request, records: Iterable) -> None:
    """``personal_data_shown`` for typed records in a response body: nothing when their item has no personal
    identifiers; one event for one record, one event naming the records for a page of them."""
    records = list(records)
    if not records:
        return
    personal = [key for key in type(records[0]).field_keys() if key in PERSONAL_KEYS]
    if not personal:
        return
    if len(records) == 1:
        personal_data_shown(request, fields=personal, obj=records[0])
    else:
        personal_data_shown(
            request,
            fields=personal,
            object_type="credit.record",
            object_repr=records[0].item.name,
            detail={"records": [r.pk for r in records]},
        )


def change_shown(request, change) -> None:
    """``personal_data_shown`` for a change request whose proposed values include a personal identifier."""
    personal = [key for key in (change.values or {}) if key in PERSONAL_KEYS and change.values[key]]
    if personal:
        personal_data_shown(request, fields=personal, obj=change)
