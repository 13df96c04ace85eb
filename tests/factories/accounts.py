"""Accounts for the tests: a factory-boy ``UserFactory`` and one account per role."""

from __future__ import annotations

import factory

from accounts.models import User
from accounts.roles import Role

PASSWORD = "Pa55word!x"


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


def user_with_role(role: str, username: str | None = None) -> User:
    """An account of ``role`` (named after the role unless ``username``), member of no office."""
    return UserFactory(username=username or role, role=role)


def api_token_key(user: User) -> str:
    """A new API token of ``user``, made through the service; its key (the only time it exists)."""
    from accounts.api_tokens import api_token_create

    _token, key = api_token_create(user=user)
    return key
