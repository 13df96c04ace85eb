"""Write an item's upload template (.xlsx): blank, with every approved record (--all), or those changed since a date."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from audit.models import AuditAction
from audit.services import audit_log
from credit.models import Item, RecordStatus
from credit.registry import model_for_item
from reporting.exporters import UploadTemplateExporter


class Command(BaseCommand):
    help = "导出某事项的上传模板：空白模板、全部已通过记录（--all）或某日以来变更的已通过记录（--since）。"

    def add_arguments(self, parser):
        parser.add_argument("--item", type=int, required=True, help="事项编号 1–10")
        parser.add_argument("--out", required=True, help="输出文件 .xlsx")
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--all", action="store_true", help="导出全部已通过记录")
        group.add_argument("--since", help="导出该日期（YYYY-MM-DD）以来新增或修改的已通过记录")
        parser.add_argument(
            "--status",
            action="append",
            choices=[s.value for s in RecordStatus],
            help="导出这些状态的记录（可重复；默认仅已通过）",
        )

    def handle(self, *args, item, out, all, since, status, **options):
        try:
            item_obj = Item.objects.get(no=item)
        except Item.DoesNotExist:
            raise CommandError(f"没有编号为 {item} 的事项。") from None
        queryset = None
        if all or since:
            queryset = model_for_item(item).objects.filter(item=item_obj, status__in=status or [RecordStatus.APPROVED])
            if since:
                try:
                    day = datetime.date.fromisoformat(since)
                except ValueError:
                    raise CommandError("--since 应为 YYYY-MM-DD。") from None
                queryset = queryset.filter(updated_at__date__gte=day)
        rows = UploadTemplateExporter(item_obj, queryset).write(out)
        if queryset is not None:  # a filled template carries records (personal data) out of the portal
            audit_log(
                action=AuditAction.EXPORT,
                obj=item_obj,
                detail={"item": item, "kind": "command_line", "rows": rows, "since": since or "", "all": bool(all)},
            )
        self.stdout.write(self.style.SUCCESS(f"已写入 {out}：{item_obj.name}，{rows} 条记录。"))
