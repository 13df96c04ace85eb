"""``python manage.py bench_data --records N``: the benchmarks' data set, loaded through COPY (PostgreSQL)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from credit.models import Record
from demo.bench_data import build


class Command(BaseCommand):
    help = "载入基准测试数据集（PostgreSQL，COPY 批量写入）：N 条各事项、各状态的信用记录及其主体和公示。"

    def add_arguments(self, parser):
        parser.add_argument("--records", type=int, required=True, help="要生成的信用记录条数")
        parser.add_argument("--seed", type=int, default=2026, help="随机种子（相同种子生成相同数据）")
        parser.add_argument("--years", type=int, default=5, help="业务发生日期分布在最近几年")

    def handle(self, *args, records: int, seed: int, years: int, **options):
        if connection.vendor != "postgresql":
            raise CommandError("bench_data 需要 PostgreSQL 数据库（DATABASE_URL）。")
        if records <= 0 or years <= 0:
            raise CommandError("--records 和 --years 必须为正整数。")
        stored = Record.objects.count()
        if stored:
            # The load appends to what is there and would stop half-way on the notices of the set already loaded.
            raise CommandError(
                f"数据库中已有 {stored:,} 条信用记录：bench_data 只向空数据库载入（新建数据库并 migrate 后再运行）。未做任何改动。"
            )
        report = build(records, seed=seed, years=years, log=self.stdout.write)
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.records:,} records, {report.subjects:,} subjects, {report.publications:,} publications "
                f"in {report.seconds:.1f} s"
            )
        )
