"""``manage.py import_calendar FILE.csv``: enter a year's holidays and adjusted working days from a CSV file."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from credit.services.calendar import calendar_import_csv, decode_csv_bytes


class Command(BaseCommand):
    help = "从CSV文件（日期,类型,名称）导入节假日与调休工作日；任何一行有错则整体不导入；导入后重新计算受影响的截止日期（不会使年度成为正式）。"

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="CSV文件：日期,类型（holiday/workday 或 休/班）,名称；表头可选")

    def handle(self, *args, file: Path, **options):
        try:
            raw = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"无法读取文件 {file}：{exc.strerror or exc}") from exc
        try:
            result = calendar_import_csv(data=decode_csv_bytes(raw))
        except ValidationError as exc:
            for message in exc.messages:
                self.stderr.write(message)
            raise CommandError(f"文件未导入：发现 {len(exc.messages)} 处错误，未保存任何数据。") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"导入完成：新增 {result.created} 天，更新 {result.updated} 天，"
                f"重新计算 {result.recomputed} 条截止日期。"
            )
        )
