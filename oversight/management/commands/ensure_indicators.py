from django.core.management.base import BaseCommand
from django.utils import timezone

from oversight.services import ensure_indicators


class Command(BaseCommand):
    help = "创建指定年度的附件2考核指标（已存在的不变）。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=None, help="年度，默认为今年")

    def handle(self, *args, year=None, **options):
        year = year or timezone.localdate().year
        created = ensure_indicators(year)
        self.stdout.write(f"{year}: {created} indicator(s) created")
