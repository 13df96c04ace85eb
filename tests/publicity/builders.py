"""Small factories for public entries: credit records through the credit services, then publication, licences and
black-list entries through the publicity services (tests/factories.py belongs to the credit tests)."""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass

from django.utils import timezone

from credit.catalog import ItemSpec
from credit.demo import credit_code, person_id, sample_values
from credit.models import Item, Record
from credit.services import records as rs
from publicity.models import LicenceDecision, Publication
from publicity.services import blacklist as bl
from publicity.services import licences as lic
from publicity.services.publications import publication_publish

_seq = itertools.count(500)
# The clerk entering each item: of its first responsible office, 组人处 for items any office reports.
OWNER = {spec.no: spec.offices[0] if spec.offices else "zuren" for spec in ItemSpec.all()}


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


@dataclass
class Builder:
    reviewer: object
    zuren: object
    yijiao: object
    sheguan: object

    def clerk_for(self, no: int):
        return getattr(self, OWNER[no])

    def record(
        self,
        no: int,
        *,
        status: str = "approved",
        day: datetime.date | None = None,
        seq: int | None = None,
        **overrides,
    ) -> Record:
        """A record of item ``no`` through the credit services, advanced to ``status``."""
        seq = next(_seq) if seq is None else seq
        data = {**sample_values(no, seq, day=day or days_ago(10)), **overrides}
        clerk = self.clerk_for(no)
        record = rs.record_create(item=Item.objects.get(no=no), user=clerk, data=data)
        if status == "draft":
            return record
        record = rs.record_submit(record=record, user=clerk)
        if status == "submitted":
            return record
        record = rs.record_approve(record=record, user=self.reviewer)
        if status == "revoked":
            record = rs.record_revoke(record=record, user=self.reviewer, reason="原处罚决定已撤销")
        return record

    def penalty(
        self, no: int = 8, *, day: datetime.date | None = None, publicity_end=None, seq=None, **overrides
    ) -> Publication:
        """An approved, published penalty of item 2 (a school) or 8 (a teacher)."""
        record = self.record(no, day=day, seq=seq, **overrides)
        n = record.pk
        return publication_publish(
            record=record,
            user=self.reviewer,
            publicity_end=publicity_end,
            decision_number=f"洪教罚〔2026〕{n}号" if no == 2 else None,
            offence_type="违规办学" if no == 2 else None,
            penalty_basis="《中华人民共和国教师法》第三十七条" if no == 8 else None,
            penalty_category="警告",
        )

    def red(self, no: int = 7, **kw) -> Publication:
        record = self.record(no, **kw)
        return Publication.objects.get(record=record)

    def licence(
        self,
        *,
        name: str = "南昌市启航培训学校",
        code: str | None = None,
        natural_id: str | None = None,
        publish: bool = True,
        seq: int | None = None,
    ) -> LicenceDecision:
        seq = next(_seq) if seq is None else seq
        data = {
            "xdr_mc": name,
            "xkws": "民办学校办学许可证",
            "wsh": f"洪教许〔2026〕{seq}号",
            "xklb": "普通",
            "nr": "准予举办民办培训学校",
            "jdrq": days_ago(5).isoformat(),
            "yxqz": days_ago(5).isoformat(),
            "yxqzi": (days_ago(5) + datetime.timedelta(days=5 * 365)).isoformat(),
            "xkjg": "南昌市教育局",
            "xkjgdm": "12360100MB1234567X",
            "lydw": "南昌市教育局",
            "lydwdm": "12360100MB1234567X",
        }
        from django.conf import settings

        data["xkjgdm"] = data["lydwdm"] = settings.BUREAU_CREDIT_CODE
        if natural_id:
            data.update(
                {
                    "xdr_lb": "自然人",
                    "xdr_zjlx": "身份证",
                    "xdr_zjhm": natural_id,
                    "xkws": "教师资格认定",
                    "xklb": "认可",
                }
            )
        else:
            data.update(
                {
                    "xdr_lb": "法人及非法人组织",
                    "xdr_shxym": code or credit_code(seq),
                    "frdb": "张建国",
                    "fr_zjlx": "身份证",
                    "fr_zjhm": person_id(seq + 7),
                }
            )
        licence = lic.licence_create(user=self.yijiao, data=data, submit=True)
        return lic.licence_approve(licence=licence, user=self.reviewer, publish=publish)

    def blacklist(self, record: Record | None = None, **kw):
        record = record or self.record(9)
        today = timezone.localdate()
        values = {
            "reason": "恶意注册虚假信息，情节严重",
            "legal_basis": "《南昌市社会信用体系建设实施办法》第二十条",
            "document_number": f"洪教信〔2026〕{record.pk}号",
            "decision_date": today - datetime.timedelta(days=3),
            "notified_on": today - datetime.timedelta(days=2),
            "listed_on": today,
            "end_date": today + datetime.timedelta(days=365),
            "removal_conditions": "信用修复完成且一年内无新的失信记录",
        }
        values.update(kw)
        return bl.blacklist_add(subject=record.subject, records=[record], user=self.reviewer, **values)
