"""``python manage.py setup_db_roles --app-role credit_app``: run as the owner role (``DATABASE_URL`` of the owner)
after every ``migrate``; grants the application role its rights, append-only on the audit tables
(``audit.db_roles``). Idempotent. The role itself is created beforehand (docker-compose: ``deploy/postgres-init``)."""

from django.core.management.base import BaseCommand, CommandError

from audit.db_roles import RoleSetupError, grant_app_role


class Command(BaseCommand):
    help = "为应用数据库角色授权（审计表只能查询和追加），须以属主角色在 migrate 之后运行"

    def add_arguments(self, parser):
        parser.add_argument("--app-role", required=True, help="应用连接数据库所用的角色名")

    def handle(self, *args, app_role: str, **options):
        try:
            statements = grant_app_role(app_role)
        except RoleSetupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"已为角色 {app_role} 授权（{len(statements)} 条语句）；审计表仅可查询和追加。")
