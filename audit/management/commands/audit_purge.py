"""``python manage.py audit_purge [--days N]``: delete audit events older than the retention period (default 180
days, never less). Run it from cron or Celery beat; the purge is itself logged."""

from django.core.management.base import BaseCommand, CommandError

from audit.services import audit_purge, audit_retention_days


class Command(BaseCommand):
    help = "删除超过保存期限（至少180天）的审计日志"

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="保存天数，不得少于 AUDIT_RETENTION_DAYS")

    def handle(self, *args, days=None, **options):
        try:
            deleted = audit_purge(older_than_days=days)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"已删除 {deleted} 条超过保存期限（{days or audit_retention_days()} 天）的审计日志。")
