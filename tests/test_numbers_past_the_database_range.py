"""A number in a URL larger than any the database can store (past 64 bits) is a page that does not exist: 404 (or
the gate's usual answer), never a server error. SQLite cannot bind such a number at all, so any lookup that reached it
unchecked answered 500 (the public entry pages did, through the withdrawal notice's foreign-key look-up)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import get_resolver

from accounts.roles import Role
from tests.factories import UserFactory
from tests.test_permission_matrix import walk

PAST_64_BITS = str(2**64 + 1)
PLACEHOLDERS = {"section": "penalties", "article": "news", "str": "x", "slug": "x"}


def _urls_with_numbers() -> list[str]:
    urls = []
    for route, _ in walk(get_resolver().url_patterns):
        if "<int:" not in route:
            continue
        url = re.sub(r"<int:\w+>", PAST_64_BITS, route)
        url = re.sub(r"<(\w+):\w+>", lambda m: PLACEHOLDERS.get(m.group(1), "x"), url)
        urls.append("/" + url.replace("^", "").replace("$", ""))
    return urls


@pytest.mark.django_db
@pytest.mark.parametrize("role", [None, Role.REVIEWER])
def test_a_number_past_the_database_range_is_never_a_server_error(role):
    client = Client(raise_request_exception=False)
    if role:
        client.force_login(UserFactory(username="range_user", role=role))
    urls = _urls_with_numbers()
    assert any(url.startswith("/penalties/") for url in urls)
    errors = [(url, status) for url in urls if (status := client.get(url).status_code) >= 500]
    assert errors == []
    assert client.get(f"/penalties/{PAST_64_BITS}/").status_code == 404
