"""The audit log's hash chain: every event carries the digest of the one before it, so an edit, a deletion in the
middle or a rewritten link shows up in ``manage.py audit_verify`` (``audit.verification``).

Each event gets a sequence number (``seq``, 1, 2, 3, … with no gaps), the digest of the previous event
(``prev_hash``) and its own digest (``entry_hash``): SHA-256 over a canonical JSON of its fields, its ``seq`` and
``prev_hash``. Appending is serialised (a transaction-level advisory lock on PostgreSQL; SQLite has a single writer),
so two concurrent writers cannot both continue from the same head. The retention purge removes a prefix of the chain
and records the last removed event's ``seq`` and digest in ``AuditChainCheckpoint``; verification starts there.

Hand-written rather than a library: what is hashed must match these model fields exactly, and the chain has to live
in the same transaction as the event (an event of a rolled-back change must leave no link behind).
"""

from __future__ import annotations

import datetime
import hashlib
import ipaddress
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections

# pg_advisory_xact_lock key of the chain head ("audit" in ASCII). Also used by the SQL purge function (migration 0007).
CHAIN_LOCK_KEY = 0x6175646974

# The fields covered by the digest, in a fixed order. Adding a field to AuditEvent does not change old digests;
# covering it means a new CHAIN_VERSION.
CHAIN_VERSION = 1
HASHED_FIELDS = (
    "at",
    "user_id",
    "username",
    "role",
    "ip",
    "user_agent",
    "method",
    "path",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "outcome",
    "detail",
)


def _normalise_json(value: Any) -> Any:
    """``value`` as the database gives it back: encoded as the JSONField encodes it, integral floats as integers
    (PostgreSQL's jsonb keeps ``1e20`` as a number that reads back as an int)."""
    if isinstance(value, dict):
        return {str(key): _normalise_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_normalise_json(item) for item in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _canonical_at(value: datetime.datetime | str) -> str:
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    return value.astimezone(datetime.UTC).isoformat(timespec="microseconds")


def _canonical_ip(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(str(value)))
    except ValueError:
        return str(value)


def canonical_payload(event: Any) -> bytes:
    """The bytes the digest covers: sorted-key compact JSON of the hashed fields, ``seq`` and ``prev_hash``."""
    fields: dict[str, Any] = {name: getattr(event, name) for name in HASHED_FIELDS}
    fields["at"] = _canonical_at(event.at)
    fields["ip"] = _canonical_ip(event.ip)
    fields["detail"] = _normalise_json(json.loads(json.dumps(event.detail or {}, cls=DjangoJSONEncoder)))
    fields.update(v=CHAIN_VERSION, seq=event.seq, prev_hash=event.prev_hash or "")
    return json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def entry_digest(event: Any) -> str:
    return hashlib.sha256(canonical_payload(event)).hexdigest()


def lock_chain(using: str) -> None:
    """Serialise appends until the current transaction ends. Call inside a transaction.

    PostgreSQL: an advisory lock. SQLite needs none here: every transaction takes the database's write lock when it
    begins (``transaction_mode`` in ``config/settings/base.py``)."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])


def link(event: Any, head: tuple[int, str]) -> None:
    """Give ``event`` the seq after the head's, the head's digest and its own digest. The head is read under
    ``lock_chain`` in the transaction that inserts the event (``AuditEvent.save``)."""
    seq, previous = head
    event.seq = seq + 1
    event.prev_hash = previous
    event.entry_hash = entry_digest(event)
