"""``python manage.py audit_verify``: check the audit log's hash chain (``audit.chain``) from the last purge
checkpoint to the newest event. Exit status 0 with the number of events checked and the head (record it elsewhere:
``--anchor SEQ:HASH`` later proves the chain up to it was not rewritten); non-zero naming the first entry that was
edited, follows a deleted one, or does not link to its predecessor."""

from django.core.management.base import BaseCommand, CommandError

from audit.models import AuditChainCheckpoint, AuditEvent
from audit.verification import verify_chain


class Command(BaseCommand):
    help = "校验审计日志哈希链：发现被修改、被删除或链接断开的条目"

    def add_arguments(self, parser):
        parser.add_argument("--chunk-size", type=int, default=2000, help="每次读取的条数")
        parser.add_argument(
            "--anchor", default="", help="此前记录的链头「序号:摘要」，校验该条仍在链上且未被改写（可选）"
        )

    def handle(self, *args, chunk_size: int, anchor: str, **options):
        report = verify_chain(chunk_size=max(1, chunk_size))
        if report.fault is not None:
            raise CommandError(f"审计日志校验失败：{report.fault}")
        if anchor:
            self._check_anchor(anchor, report.start_seq)
        self.stdout.write(
            f"审计日志哈希链完整：已校验 {report.checked} 条（序号 {report.start_seq}–{report.head_seq}）。"
            f"链头 {report.head_seq}:{report.head_hash}"
        )

    def _check_anchor(self, anchor: str, start_seq: int) -> None:
        seq_text, _, digest = anchor.partition(":")
        try:
            seq = int(seq_text)
        except ValueError:
            raise CommandError("--anchor 格式应为「序号:摘要」，例如 1024:3f2a…") from None
        if seq < start_seq - 1:
            return  # purged since: what is left was checked from the checkpoint on
        if seq == start_seq - 1:  # the last purged event: its digest is the checkpoint's
            found = AuditChainCheckpoint.objects.filter(seq=seq).values_list("entry_hash", flat=True).first()
        else:
            found = AuditEvent.objects.filter(seq=seq).values_list("entry_hash", flat=True).first()
        if found is None:
            raise CommandError(f"审计日志校验失败：第 {seq} 条已不存在（链尾被删除）。")
        if found != digest:
            raise CommandError(f"审计日志校验失败：第 {seq} 条的摘要与记录的链头不符（链被重写）。")
