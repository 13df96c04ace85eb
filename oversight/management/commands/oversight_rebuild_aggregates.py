from django.core.management.base import BaseCommand

from oversight.aggregates import aggregates_rebuild


class Command(BaseCommand):
    help = "按信用记录与零报告重新计算考核统计底表（处室 × 事项 × 月份）的全部数字。"

    def handle(self, *args, **options):
        cells = aggregates_rebuild()
        self.stdout.write(f"{cells} cell(s) recounted")
