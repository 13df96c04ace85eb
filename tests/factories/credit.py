"""Credit records for the tests, always made through the record services (create, then the lifecycle transitions),
by a clerk of the office that reports the item according to the catalogue."""

from __future__ import annotations

import datetime
import itertools

import factory
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from credit.demo import sample_values
from credit.models import Item, Office, Record
from credit.services import records as services
from tests.factories.accounts import UserFactory

_seq = itertools.count(1000)


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def office(code: str) -> Office:
    return Office.objects.get(code=code)


def reporting_office(no: int) -> Office:
    """The office whose clerks report item ``no`` in the tests: the first of its responsible offices (``Item.offices``),
    or the General Office (办公室, the first office) for an item any office may report."""
    item = Item.objects.get(no=no)
    return item.offices.order_by("pk").first() or Office.objects.order_by("pk").first()


def clerk_of(code: str, username: str | None = None, **kwargs) -> User:
    """A clerk of office ``code`` (one account per office unless ``username`` is given)."""
    return UserFactory(username=username or f"clerk_{code}", role=Role.CLERK, offices=[office(code)], **kwargs)


def clerk_for_item(no: int) -> User:
    """The clerk of the office that reports item ``no`` (``reporting_office``)."""
    return clerk_of(reporting_office(no).code)


def default_reviewer() -> User:
    return UserFactory(username="reviewer_f", role=Role.REVIEWER)


def record_values(no: int, seq: int | None = None, *, day: datetime.date | None = None) -> dict[str, str]:
    """Valid entered values of item ``no`` (business date ``day``, default ten days ago)."""
    day = day or days_ago(10)
    return sample_values(no, next(_seq) if seq is None else seq, day=day)


def record_advance(
    record: Record, *, status: str, clerk: User, reviewer: User | None = None, override_reason: str = ""
) -> Record:
    """Move a draft ``record`` to ``status`` through the lifecycle services: submitted by ``clerk``, then approved,
    returned or (after approval) revoked by ``reviewer``. ``override_reason`` approves an award whose subject has
    live dishonesty (the credit check, vetting)."""
    if status == "draft":
        return record
    record = services.record_submit(record=record, user=clerk)
    if status == "submitted":
        return record
    reviewer = reviewer or default_reviewer()
    if status == "returned":
        return services.record_return(record=record, user=reviewer, reason="请补充处罚依据。")
    record = services.record_approve(record=record, user=reviewer, override_reason=override_reason)
    if status == "revoked":
        return services.record_revoke(record=record, user=reviewer, reason="原决定已撤销。")
    return record


def create_record(
    no: int,
    clerk: User | None = None,
    *,
    status: str = "draft",
    reviewer: User | None = None,
    day: datetime.date | None = None,
    seq: int | None = None,
    office_code: str | None = None,
    override_reason: str = "",
    **overrides,
) -> Record:
    """A record of item ``no`` entered through the services and advanced to ``status``.

    ``clerk`` defaults to the clerk of the item's reporting office; ``overrides`` replace entered values.
    """
    clerk = clerk or clerk_for_item(no)
    item = Item.objects.get(no=no)
    data = {**record_values(no, seq, day=day), **overrides}
    off = office(office_code) if office_code else None
    record = services.record_create(item=item, user=clerk, data=data, office=off)
    return record_advance(record, status=status, clerk=clerk, reviewer=reviewer, override_reason=override_reason)


def a_draft() -> tuple[Record, User]:
    """A draft of the catalogue's first item and the clerk who entered it (any item would do: no item number needed)."""
    no = Item.objects.order_by("no").first().no
    clerk = clerk_for_item(no)
    return create_record(no, clerk), clerk


class RecordFactory(factory.Factory):
    """``RecordFactory(no=8, status="approved")``: ``create_record`` for factory-boy (``create_batch`` and friends)."""

    class Meta:
        model = Record

    no = 8
    status = "draft"
    clerk = None
    reviewer = None
    day = None
    seq = None
    office_code = None

    @classmethod
    def _create(cls, model_class, *, no: int, **kwargs) -> Record:
        return create_record(no, **kwargs)

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        raise NotImplementedError("records exist only through the services: use RecordFactory() or .create()")
