"""``python manage.py load_demo [--password P]``: demo accounts for every role and office, and sample records."""

import datetime

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import User
from accounts.roles import Role
from credit.demo import sample_values
from credit.models import Item, Office, Record
from credit.services import records as services

DEFAULT_PASSWORD = "Demo@2026nc"


class Command(BaseCommand):
    help = "创建演示账号（各角色、各处室填报员）和各状态的示例记录。"

    def add_arguments(self, parser):
        parser.add_argument("--password", default=DEFAULT_PASSWORD, help="所有演示账号的密码")

    @transaction.atomic
    def handle(self, *args, password: str, **options):
        accounts = [
            ("reviewer", Role.REVIEWER, "审核员（办公室）", []),
            ("sysadmin", Role.SYSADMIN, "系统管理员", []),
            ("secadmin", Role.SECADMIN, "安全管理员", []),
            ("auditor", Role.AUDITOR, "安全审计员", []),
        ]
        accounts += [(f"clerk_{o.code}", Role.CLERK, f"{o.name}填报员", [o]) for o in Office.objects.all()]
        users = {}
        for username, role, label, offices in accounts:
            user, _ = User.objects.update_or_create(username=username, defaults={"role": role, "last_name": label})
            user.set_password(password)
            user.save()
            user.offices.set(offices)
            users[username] = user
        if not Record.objects.exists():
            self._records(users)
        self.stdout.write(self.style.SUCCESS("演示账号（密码均为 %s）：" % password))
        for username, role, label, _offices in accounts:
            self.stdout.write(f"  {username:<16} {Role(role).label:<8} {label}")

    def _records(self, users) -> None:
        reviewer = users["reviewer"]
        today = datetime.date.today()
        recent = today - datetime.timedelta(days=3)
        statuses = ["draft", "submitted", "approved", "returned", "revoked", "approved", "submitted"]
        seq = 0
        for item in Item.objects.prefetch_related("offices").order_by("no"):
            offices = list(item.offices.all()) or [Office.objects.get(code="office")]
            for i, status in enumerate(statuses):
                office = offices[i % len(offices)]
                clerk = users[f"clerk_{office.code}"]
                day = recent - datetime.timedelta(days=20 * i)
                record = services.record_create(
                    item=item, user=clerk, office=office, data=sample_values(item.no, seq, day=day)
                )
                seq += 1
                self._advance(record, status, clerk, reviewer)
        # One approved record whose five-year validity has run out, expired by the same job the schedule runs.
        item = Item.objects.get(no=3)
        office = item.offices.first()
        clerk = users[f"clerk_{office.code}"]
        old = services.record_create(
            item=item, user=clerk, office=office, data=sample_values(3, seq, day=datetime.date(2020, 9, 1))
        )
        self._advance(old, "approved", clerk, reviewer)
        services.records_expire()

    @staticmethod
    def _advance(record, status, clerk, reviewer) -> None:
        if status == "draft":
            return
        record = services.record_submit(record=record, user=clerk)
        if status == "returned":
            services.record_return(record=record, user=reviewer, reason="处罚依据条款不完整，请补充后重新提交。")
        elif status in {"approved", "revoked"}:
            record = services.record_approve(record=record, user=reviewer)
            if status == "revoked":
                services.record_revoke(record=record, user=reviewer, reason="原决定已被依法撤销。")
