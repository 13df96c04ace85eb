"""``python manage.py load_demo [--password P]``: demo accounts for every role and office, and sample records."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from credit.catalog import BLACK_LIST, NOT_PUBLIC, WORKING_DAYS, ItemSpec
from credit.demo import credit_code, person_id, sample_values
from credit.models import Item, Office, Record
from credit.services import records as services
from oversight.aggregates import aggregates_rebuild
from publicity.models import NewsItem, PolicyDocument
from publicity.services import blacklist, content, licences, publications

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
            self._publicity(users)
            # The backdated submission times went in past the services: recount oversight's aggregates.
            aggregates_rebuild()
        self.stdout.write(self.style.SUCCESS("演示账号（密码均为 %s）：" % password))
        for username, role, label, _offices in accounts:
            self.stdout.write(f"  {username:<16} {Role(role).label:<8} {label}")
        # No API token is made here: a key printed in the demo's log would outlive the demo. Ask for one by name.
        self.stdout.write("API 令牌：python manage.py create_api_token reviewer（填报员、审核员可用；令牌只显示一次）")

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
                self._backdate_submission(record, late=seq % 4 == 0)
        # One approved record whose five-year validity has run out, expired by the same job the schedule runs.
        item = Item.objects.get(no=ItemSpec.items_with(publicity=NOT_PUBLIC, deadline_kind=WORKING_DAYS)[0].no)
        office = item.offices.first()
        clerk = users[f"clerk_{office.code}"]
        old = services.record_create(
            item=item, user=clerk, office=office, data=sample_values(item.no, seq, day=datetime.date(2020, 9, 1))
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

    @staticmethod
    def _backdate_submission(record, *, late: bool) -> None:
        """Demo history: the records were submitted around their due dates (most on time), not all at load time."""
        if record.status == "draft" and not Record.objects.filter(pk=record.pk).exclude(submitted_at=None).exists():
            return
        offset = datetime.timedelta(days=2 if late else -2)
        when = timezone.make_aware(datetime.datetime.combine(record.due_date + offset, datetime.time(10, 0)))
        Record.objects.filter(pk=record.pk).update(submitted_at=min(when, timezone.now()))

    def _publicity(self, users) -> None:
        """The public column's demo content: published penalties, licences, a black-list entry, policies and news.

        Red-list entries (the red-list items) appear by themselves when their records are approved.
        """
        reviewer = users["reviewer"]
        today = datetime.date.today()
        for record in Record.objects.filter(item__no__in=publications.PENALTY_ITEMS, status="approved").order_by("pk"):
            if publications.record_withheld(record):  # a 处分 is never published
                continue
            publications.publication_publish(
                record=record,
                user=reviewer,
                decision_number=f"洪教罚〔2026〕{record.pk}号",
                offence_type="违反师德规范" if record.item.is_natural_person else "违反招生管理规定",
                penalty_basis="《中华人民共和国教育法》第七十五条",
                penalty_category="警告",
            )
        clerk = users["clerk_sheguan"]
        common = {
            "xklb": "普通",
            "xkjg": settings.BUREAU_NAME,
            "xkjgdm": settings.BUREAU_CREDIT_CODE,
            "lydw": settings.BUREAU_NAME,
            "lydwdm": settings.BUREAU_CREDIT_CODE,
            "jdrq": (today - datetime.timedelta(days=4)).isoformat(),
            "yxqz": (today - datetime.timedelta(days=4)).isoformat(),
            "yxqzi": (today + datetime.timedelta(days=5 * 365)).isoformat(),
        }
        demo_licences = [
            {
                **common,
                "xdr_mc": "南昌市启航文化艺术培训学校",
                "xdr_lb": "法人及非法人组织",
                "xdr_shxym": credit_code(90),
                "frdb": "刘建华",
                "xkws": "民办学校办学许可证",
                "wsh": "洪教许〔2026〕18号",
                "nr": "准予举办民办文化艺术培训学校",
                "xkzs": "民办学校办学许可证",
                "xkbh": "教民136010070000018号",
            },
            {
                **common,
                "xdr_mc": "陈丽华",
                "xdr_lb": "自然人",
                "xdr_zjlx": "身份证",
                "xdr_zjhm": person_id(91, female=True),
                "xkws": "教师资格认定",
                "xklb": "认可",
                "wsh": "洪教资〔2026〕205号",
                "nr": "认定初级中学教师资格（语文）",
            },
        ]
        for data in demo_licences:
            licence = licences.licence_create(user=clerk, data=data, submit=True)
            licences.licence_approve(licence=licence, user=reviewer, publish=True)
        black_list_items = [item.no for item in ItemSpec.items_with(publicity=BLACK_LIST)]
        listed = Record.objects.filter(item__no__in=black_list_items, status="approved").order_by("pk").first()
        if listed is not None:
            blacklist.blacklist_add(
                subject=listed.subject,
                records=[listed],
                user=reviewer,
                reason="恶意注册虚假信息，情节严重",
                legal_basis="《南昌市社会信用体系建设实施办法》",
                document_number="洪教信〔2026〕3号",
                decision_date=today - datetime.timedelta(days=3),
                notified_on=today - datetime.timedelta(days=10),
                listed_on=today - datetime.timedelta(days=1),
                end_date=today + datetime.timedelta(days=365),
                removal_conditions="完成信用修复且一年内无新的失信记录",
            )
        content.article_save(
            model=PolicyDocument,
            user=reviewer,
            data={
                "title": "南昌市教育系统社会信用体系建设工作实施方案",
                "document_number": "洪教办字〔2018〕13号",
                "body": "为进一步提升全市教育系统信用体系建设，以教育诚信积极助推社会诚信建设，制定本方案。",
                "source": settings.BUREAU_NAME,
                "is_published": True,
                "published_at": timezone.now(),
            },
        )
        content.article_save(
            model=NewsItem,
            user=reviewer,
            data={
                "title": "市教育局开展诚信主题宣传教育活动",
                "body": "各级各类学校利用校园网、微信公众号、广播站、宣传板等形式开展诚信教育宣传。",
                "source": settings.BUREAU_NAME,
                "is_published": True,
                "published_at": timezone.now(),
            },
        )
