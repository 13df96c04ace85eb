"""``python manage.py create_api_token <username>``: make an API token for a workspace account and print its key,
once. Only a digest is stored: the key cannot be shown again, by this command or anyone; a lost key is revoked in the
admin and a new one made. The creation is written to the audit log."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts.api_tokens import api_token_create
from accounts.roles import WORKSPACE_ROLES


class Command(BaseCommand):
    help = "为填报员或审核员创建 API 令牌（令牌只显示这一次）"

    def add_arguments(self, parser):
        parser.add_argument("username", help="令牌所有人的用户名")

    def handle(self, *args, username, **options):
        user = get_user_model()._default_manager.filter(username=username).first()
        if user is None:
            raise CommandError(f"用户“{username}”不存在。")
        if not user.is_active:
            raise CommandError(f"用户“{username}”已停用，不能创建 API 令牌。")
        if user.role not in WORKSPACE_ROLES:
            raise CommandError(f"用户“{username}”是管理员角色，API 令牌只发给填报员和审核员。")
        if user.password_expired:
            raise CommandError(f"用户“{username}”的密码已过期，请先修改密码再创建 API 令牌。")
        token, key = api_token_create(user=user)
        self.stdout.write(key)
        self.stderr.write(
            f"以上是用户“{username}”的 API 令牌（前缀 {token.display_prefix}，{token.expiry:%Y-%m-%d %H:%M} 到期），"
            "只显示这一次，请立即交给本人保存；系统中只保存其摘要，无法再次查看。"
        )
