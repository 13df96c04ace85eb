"""Test data for the credit workspace: accounts per role (factory-boy) and records created through the services."""

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

PASSWORD = "Pa55word!x"
_seq = itertools.count(1000)


class UserFactory(factory.django.DjangoModelFactory):
    """A portal account. ``offices=[...]`` makes it a member of those offices."""

    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.CLERK
    email = factory.LazyAttribute(lambda u: f"{u.username}@jyj.nc.gov.cn")
    last_name = factory.LazyAttribute(lambda u: u.username)
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def offices(self, create, extracted, **kwargs):
        if create and extracted:
            self.offices.set(extracted)


def office(code: str) -> Office:
    return Office.objects.get(code=code)


def clerk_of(code: str, username: str | None = None, **kwargs) -> User:
    return UserFactory(username=username or f"clerk_{code}", role=Role.CLERK, offices=[office(code)], **kwargs)


def user_with_role(role: str, username: str | None = None) -> User:
    return UserFactory(username=username or role, role=role)


def record_values(no: int, seq: int | None = None, *, day: datetime.date | None = None) -> dict[str, str]:
    """Valid entered values of item ``no`` (business date ``day``, default ten days ago)."""
    day = day or timezone.localdate() - datetime.timedelta(days=10)
    return sample_values(no, next(_seq) if seq is None else seq, day=day)


def create_record(
    no: int,
    clerk: User,
    *,
    status: str = "draft",
    reviewer: User | None = None,
    day: datetime.date | None = None,
    office_code: str | None = None,
    **overrides,
) -> Record:
    """A record of item ``no`` entered by ``clerk`` through the services, advanced to ``status``."""
    item = Item.objects.get(no=no)
    data = {**record_values(no, day=day), **overrides}
    off = office(office_code) if office_code else None
    record = services.record_create(item=item, user=clerk, data=data, office=off)
    if status == "draft":
        return record
    record = services.record_submit(record=record, user=clerk)
    if status == "submitted":
        return record
    reviewer = reviewer or UserFactory(username="reviewer_f", role=Role.REVIEWER)
    if status == "returned":
        return services.record_return(record=record, user=reviewer, reason="请补充处罚依据。")
    record = services.record_approve(record=record, user=reviewer)
    if status == "revoked":
        return services.record_revoke(record=record, user=reviewer, reason="原决定已撤销。")
    return record
