"""Write the national 双公示 file: penalty records (of one penalty item) or approved licensing decisions, as the
standard."""

from django.core.management.base import BaseCommand, CommandError

from audit.models import AuditAction
from audit.services import audit_log
from credit.models import Item
from reporting import double_publicity
from reporting.exporters import DoublePublicityLicenceExporter, DoublePublicityPenaltyExporter
from reporting.selectors import records_reportable


class Command(BaseCommand):
    help = "按双公示国家标准导出：行政处罚（行政处罚事项的已通过记录）或行政许可（已通过的许可决定）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--kind", required=True, choices=["penalty", "licence"], help="penalty 行政处罚 / licence 行政许可"
        )
        parser.add_argument("--out", required=True, help="输出文件 .xlsx")
        parser.add_argument(
            "--item",
            type=int,
            choices=sorted(double_publicity.PENALTY_SOURCE_FIELDS),
            help="行政处罚：只导出该事项；默认为第一个行政处罚事项",
        )

    def handle(self, *args, kind, out, item, **options):
        if kind == "licence":
            if item is not None:
                raise CommandError("--item 仅用于 --kind penalty。")
            rows = DoublePublicityLicenceExporter().write(out)
            detail = {"kind": "double_publicity_licence", "rows": rows}
            target = None
            message = f"已写入 {out}：行政许可 {rows} 条。"
        else:
            item_obj = Item.objects.get(no=item or min(double_publicity.PENALTY_SOURCE_FIELDS))
            exporter = DoublePublicityPenaltyExporter(item_obj, records_reportable(item_obj))
            rows = exporter.write(out)
            detail = {"kind": "double_publicity_penalty", "item": item_obj.no, "rows": rows}
            detail["incomplete"] = exporter.incomplete
            target = item_obj
            message = f"已写入 {out}：{item_obj.name}（行政处罚）{rows} 条。"
            if exporter.incomplete:
                message += f"其中 {exporter.incomplete} 条缺少国家标准必填项（需在公示信息中补充）。"
        if target is not None:
            audit_log(action=AuditAction.EXPORT, obj=target, detail=detail)
        else:
            audit_log(action=AuditAction.EXPORT, object_type="publicity.licencedecision", detail=detail)
        self.stdout.write(self.style.SUCCESS(message))
