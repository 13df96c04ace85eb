"""Checking the audit log's hash chain (``audit.chain``): what ``manage.py audit_verify`` runs."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from audit.chain import entry_digest
from audit.models import AuditChainCheckpoint, AuditEvent


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
    return AuditEvent.objects.using(using).filter(seq__gte=start_seq).order_by("seq").iterator(chunk_size=chunk_size)


def verify_chain(*, using: str = "default", chunk_size: int = 2000) -> ChainReport:
    """Walk the chain from the last purge checkpoint (or the start) in ``seq`` order, in chunks (constant memory), and
    stop at the first event that was edited, follows a deleted one, or does not link to its predecessor."""
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
