"""Public entries for the tests, made through the publicity services on records made through the credit services:
published penalties, red-list entries, licensing decisions and black-list entries."""

from __future__ import annotations

import datetime
import itertools

import factory
from django.conf import settings
from django.utils import timezone

from accounts.models import User
from credit.demo import credit_code, person_id
from credit.models import Record
from publicity.models import BlackListEntry, LicenceDecision, Publication
from publicity.services import blacklist as bl
from publicity.services import licences as lic
from publicity.services.publications import publication_publish
from tests.factories.credit import clerk_for_item, clerk_of, create_record, days_ago, default_reviewer

_seq = itertools.count(500)


def public_record(no: int, *, status: str = "approved", reviewer: User | None = None, **kwargs) -> Record:
    """An approved (by default) record of item ``no``; approving a red-list item (6, 7) puts it on the column."""
    if kwargs.get("seq") is None:
        kwargs["seq"] = next(_seq)
    return create_record(no, status=status, reviewer=reviewer, **kwargs)


def licence_values(
    *, seq: int, name: str = "南昌市启航培训学校", code: str | None = None, natural_id: str | None = None
) -> dict[str, str]:
    """Valid entered values of a licensing decision (行政许可) granted five days ago, to an organisation (``code``,
    default a generated credit code) or, with ``natural_id``, to a person (a teacher's qualification)."""
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
        "xkjgdm": settings.BUREAU_CREDIT_CODE,
        "lydw": "南昌市教育局",
        "lydwdm": settings.BUREAU_CREDIT_CODE,
    }
    if natural_id:
        data.update(
            {"xdr_lb": "自然人", "xdr_zjlx": "身份证", "xdr_zjhm": natural_id, "xkws": "教师资格认定", "xklb": "认可"}
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
    return data


def stored_licence(*, office, created_by, status: str = "approved", **fields) -> LicenceDecision:
    """A licence decision stored as it is (no lifecycle): rows for the national licence exports and batches, which
    read what is stored; ``fields`` override the defaults (a legal person's school-running licence, decided 5 days ago).
    """
    today = timezone.localdate()
    values = {
        "office": office,
        "created_by": created_by,
        "subject_kind": "legal",
        "subject_name": fields.get("xdr_mc", "南昌市启航培训学校"),
        "xdr_mc": "南昌市启航培训学校",
        "xdr_lb": "法人及非法人组织",
        "xkws": "民办学校办学许可证",
        "wsh": "洪教许〔2026〕1号",
        "xklb": "普通",
        "nr": "准予举办民办培训学校",
        "jdrq": today - datetime.timedelta(days=5),
        "yxqz": today - datetime.timedelta(days=5),
        "yxqzi": today + datetime.timedelta(days=365),
        "status": status,
        **fields,
    }
    return LicenceDecision.objects.create(**values)


def stored_penalty_publication(record: Record, **fields) -> Publication:
    """A penalty record's publication stored as it is (no publishing service): the national 双公示 columns Annex 1
    lacks, for the national exports that read them; ``fields`` fill those columns."""
    return Publication.objects.create(
        record=record,
        kind="penalty",
        item_no=record.item.no,
        subject_kind="natural" if record.item.is_natural_person else "legal",
        subject_name="x",
        decision_date=record.penalty_date,
        valid_until=record.penalty_date + datetime.timedelta(days=365),
        **fields,
    )


class PublicationFactory(factory.Factory):
    """A published penalty of item 2 (a school) or 8 (a teacher): the record approved, then published by the reviewer
    with the national columns Annex 1 lacks. Extra keywords are entered values of the record."""

    class Meta:
        model = Publication

    no = 8
    day = None
    seq = None
    publicity_end = None
    reviewer = factory.LazyFunction(default_reviewer)

    @classmethod
    def _create(cls, model_class, *, no: int, reviewer: User, publicity_end, **kwargs) -> Publication:
        record = public_record(no, reviewer=reviewer, **kwargs)
        return publication_publish(
            record=record,
            user=reviewer,
            publicity_end=publicity_end,
            decision_number=f"洪教罚〔2026〕{record.pk}号" if no == 2 else None,
            offence_type="违规办学" if no == 2 else None,
            penalty_basis="《中华人民共和国教师法》第三十七条" if no == 8 else None,
            penalty_category="警告",
        )


class RedListPublicationFactory(factory.Factory):
    """A red-list entry (item 6 or 7): the column entry its record's approval creates."""

    class Meta:
        model = Publication

    no = 7
    reviewer = factory.LazyFunction(default_reviewer)

    @classmethod
    def _create(cls, model_class, *, no: int, reviewer: User, **kwargs) -> Publication:
        return Publication.objects.get(record=public_record(no, reviewer=reviewer, **kwargs))


class LicenceFactory(factory.Factory):
    """A licensing decision filed and submitted by a clerk of 义教处, approved (and by default published) by the
    reviewer."""

    class Meta:
        model = LicenceDecision

    name = "南昌市启航培训学校"
    code = None
    natural_id = None
    publish = True
    seq = factory.LazyFunction(lambda: next(_seq))
    clerk = factory.LazyFunction(lambda: clerk_of("yijiao"))
    reviewer = factory.LazyFunction(default_reviewer)

    @classmethod
    def _create(cls, model_class, *, clerk: User, reviewer: User, publish: bool, **values) -> LicenceDecision:
        licence = lic.licence_create(user=clerk, data=licence_values(**values), submit=True)
        return lic.licence_approve(licence=licence, user=reviewer, publish=publish)


class BlackListEntryFactory(factory.Factory):
    """A black-list entry (listed today for a year) of the subject of an approved 失信 ``record`` (default: a new
    record of item 9). Extra keywords replace the entry's values."""

    class Meta:
        model = BlackListEntry

    record = None
    reviewer = factory.LazyFunction(default_reviewer)

    @classmethod
    def _create(cls, model_class, *, record: Record | None, reviewer: User, **kw) -> BlackListEntry:
        record = record or public_record(9, reviewer=reviewer)
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
            **kw,
        }
        return bl.blacklist_add(subject=record.subject, records=[record], user=reviewer, **values)


class PublicEntries:
    """The publicity factories with one reviewer deciding everything, for tests that make several entries (the
    publicity tests' ``build`` fixture): ``build.penalty(8)``, ``build.red(6)``, ``build.licence()``, ``build.blacklist()``."""

    def __init__(self, reviewer: User):
        self.reviewer = reviewer

    def record(self, no: int, *, status: str = "approved", **kwargs) -> Record:
        return public_record(no, status=status, reviewer=self.reviewer, **kwargs)

    def penalty(self, no: int = 8, **kwargs) -> Publication:
        return PublicationFactory(no=no, reviewer=self.reviewer, **kwargs)

    def red(self, no: int = 7, **kwargs) -> Publication:
        return RedListPublicationFactory(no=no, reviewer=self.reviewer, **kwargs)

    def licence(self, **kwargs) -> LicenceDecision:
        return LicenceFactory(reviewer=self.reviewer, **kwargs)

    def blacklist(self, record: Record | None = None, **kwargs) -> BlackListEntry:
        return BlackListEntryFactory(record=record, reviewer=self.reviewer, **kwargs)

    def policy(self, title: str = "南昌市教育系统信用修复管理办法", number: str = "洪教字〔2026〕8号", **data):
        """A published 诚信制度 document, saved by the reviewer through the service."""
        from publicity.models import PolicyDocument
        from publicity.services.content import article_save

        values = {"title": title, "document_number": number, "source": "南昌市教育局", "body": "第一条……"}
        values |= {"is_published": "on", "published_at": "2026-01-05 09:00", **data}
        return article_save(model=PolicyDocument, user=self.reviewer, data=values)

    def clerk_for(self, no: int) -> User:
        return clerk_for_item(no)

    @property
    def zuren(self) -> User:
        return clerk_of("zuren")

    @property
    def yijiao(self) -> User:
        return clerk_of("yijiao")

    @property
    def sheguan(self) -> User:
        return clerk_of("sheguan")


def commitment_pdf(name: str = "信用承诺书.pdf"):
    """A signed 信用承诺书 as a repair applicant uploads it (a PDF by its leading bytes)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, b"%PDF-1.4\n% commitment\n", content_type="application/pdf")
