"""The audit log's hash chain: every event carries the digest of the one before it, so an edit, a deletion in the
middle or a rewritten link shows up in ``manage.py audit_verify``.

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
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections

if TYPE_CHECKING:
    from audit.models import AuditEvent

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


def canonical_payload(event: AuditEvent) -> bytes:
    """The bytes the digest covers: sorted-key compact JSON of the hashed fields, ``seq`` and ``prev_hash``."""
    fields: dict[str, Any] = {name: getattr(event, name) for name in HASHED_FIELDS}
    fields["at"] = _canonical_at(event.at)
    fields["ip"] = _canonical_ip(event.ip)
    fields["detail"] = _normalise_json(json.loads(json.dumps(event.detail or {}, cls=DjangoJSONEncoder)))
    fields.update(v=CHAIN_VERSION, seq=event.seq, prev_hash=event.prev_hash or "")
    return json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def entry_digest(event: AuditEvent) -> str:
    return hashlib.sha256(canonical_payload(event)).hexdigest()


def _head(using: str) -> tuple[int, str]:
    """``(seq, digest)`` of the newest event, or of the last purged one when the table is empty; ``(0, "")`` for a
    new chain. One index lookup each, never a table scan."""
    from audit.models import AuditChainCheckpoint, AuditEvent

    head = AuditEvent.objects.using(using).order_by("-seq").values_list("seq", "entry_hash").first()
    if head is None:
        head = AuditChainCheckpoint.objects.using(using).order_by("-seq").values_list("seq", "entry_hash").first()
    return (head[0], head[1]) if head else (0, "")


def lock_chain(using: str) -> None:
    """Serialise appends until the current transaction ends (PostgreSQL). Call inside a transaction."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])


def link(event: AuditEvent, using: str) -> None:
    """Give ``event`` the next ``seq``, the head's digest and its own digest. Call inside a transaction, right before
    inserting it."""
    lock_chain(using)
    seq, previous = _head(using)
    event.seq = seq + 1
    event.prev_hash = previous
    event.entry_hash = entry_digest(event)


# --- verification ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChainFault:
    event_id: int
    seq: int
    at: datetime.datetime
    reason: str

    def __str__(self) -> str:
        return f"第 {self.seq} 条（编号 {self.event_id}，时间 {self.at:%Y-%m-%d %H:%M:%S%z}）：{self.reason}"


@dataclass(frozen=True)
class ChainReport:
    checked: int
    start_seq: int  # the first seq expected (1, or the last checkpoint's seq + 1)
    head_seq: int
    head_hash: str
    fault: ChainFault | None

    @property
    def ok(self) -> bool:
        return self.fault is None


def _events_from(start_seq: int, using: str, chunk_size: int) -> Iterator[AuditEvent]:
    from audit.models import AuditEvent

    return AuditEvent.objects.using(using).filter(seq__gte=start_seq).order_by("seq").iterator(chunk_size=chunk_size)


def verify_chain(*, using: str = "default", chunk_size: int = 2000) -> ChainReport:
    """Walk the chain from the last purge checkpoint (or the start) in ``seq`` order, in chunks (constant memory), and
    stop at the first event that was edited, follows a deleted one, or does not link to its predecessor."""
    from audit.models import AuditChainCheckpoint

    checkpoint = AuditChainCheckpoint.objects.using(using).order_by("-seq").values_list("seq", "entry_hash").first()
    expected_seq, previous = (checkpoint[0] + 1, checkpoint[1]) if checkpoint else (1, "")
    start_seq, checked = expected_seq, 0
    for event in _events_from(start_seq, using, chunk_size):
        fault = None
        if event.seq != expected_seq:
            missing = (
                f"第 {expected_seq} 条" if event.seq == expected_seq + 1 else f"第 {expected_seq}–{event.seq - 1} 条"
            )
            fault = f"之前的{missing}已不存在（被删除）"
        elif event.prev_hash != previous:
            fault = "记录的前一条摘要与前一条不符（链被改写）"
        elif entry_digest(event) != event.entry_hash:
            fault = "内容与其摘要不符（条目被修改）"
        if fault:
            return ChainReport(
                checked, start_seq, expected_seq - 1, previous, ChainFault(event.pk, event.seq, event.at, fault)
            )
        previous = event.entry_hash
        expected_seq += 1
        checked += 1
    return ChainReport(checked, start_seq, expected_seq - 1, previous, None)
