"""Each role lands on its own home after signing in, and its navigation offers only what it may open."""

import re

import pytest
from django.core.cache import cache

from accounts.roles import Role
from tests.factories import PASSWORD, UserFactory, clerk_of

pytestmark = pytest.mark.django_db

HOMES = {
    Role.CLERK: "/workspace/",
    Role.REVIEWER: "/workspace/",
    Role.AUDITOR: "/workspace/audit/",
    Role.SYSADMIN: "/admin/",
    Role.SECADMIN: "/admin/",
}


@pytest.fixture(autouse=True)
def _no_lockouts():
    cache.clear()


def _user(role):
    return (
        clerk_of("zuren", username=f"home_{role}")
        if role == Role.CLERK
        else UserFactory(username=f"home_{role}", role=role)
    )


def _sign_in(client, user, next_url=None):
    data = {"username": user.username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post("/accounts/login/", data)


@pytest.mark.parametrize("role", list(HOMES))
def test_each_role_lands_on_its_home(client, role):
    response = _sign_in(client, _user(role))
    assert response.status_code == 302
    assert response["Location"] == HOMES[role]
    assert client.get(HOMES[role]).status_code == 200


def test_auditor_sent_to_sign_in_from_the_workspace_lands_on_the_audit_log(client):
    response = _sign_in(client, _user(Role.AUDITOR), next_url="/workspace/")
    assert response["Location"] == "/workspace/audit/"


def test_clerk_keeps_a_next_page_it_may_open(client):
    response = _sign_in(client, _user(Role.CLERK), next_url="/workspace/records/")
    assert response["Location"] == "/workspace/records/"


def test_clerk_is_not_sent_to_the_admin_site_by_next(client):
    response = _sign_in(client, _user(Role.CLERK), next_url="/admin/")
    assert response["Location"] == "/workspace/"


def test_auditor_at_the_admin_login_is_told_where_to_sign_in(client):
    auditor = _user(Role.AUDITOR)
    response = client.post("/admin/login/", {"username": auditor.username, "password": PASSWORD})
    page = response.content.decode()
    assert response.status_code == 200
    assert "审计管理员不使用系统管理后台" in page and "/accounts/login/" in page
    assert "正确的" not in page  # not "enter a correct username and password"


def test_wrong_password_at_the_admin_login_gets_the_usual_message(client):
    auditor = _user(Role.AUDITOR)
    response = client.post("/admin/login/", {"username": auditor.username, "password": "wrong-Pass-1"})
    assert "审计管理员不使用系统管理后台" not in response.content.decode()


@pytest.mark.parametrize("role", [Role.CLERK, Role.REVIEWER, Role.AUDITOR])
def test_navigation_offers_only_pages_the_role_may_open(client, role):
    user = _user(role)
    client.force_login(user)
    page = client.get(HOMES[role]).content.decode()
    nav = re.search(r'<nav class="mainnav".*?</nav>|<header class="audit-header">.*?</header>', page, re.S).group(0)
    links = [href for href in re.findall(r'href="([^"]+)"', nav) if href.startswith("/")]
    assert links, nav
    for href in links:
        status = client.get(href).status_code
        assert status == 200, f"{role}: {href} answers {status}"


@pytest.mark.parametrize("role", [Role.CLERK, Role.REVIEWER])
def test_the_licence_pages_header_offers_only_pages_the_role_may_open(client, role):
    """The licence pages have a header of their own, whose title linked every role to the reviewer's 公示管理 page:
    a clerk who pressed it got 403 无权访问."""
    client.force_login(_user(role))
    page = client.get("/workspace/publicity/licences/").content.decode()
    header = re.search(r'<header class="site-header".*?</header>', page, re.S).group(0)
    links = [href for href in re.findall(r'href="([^"]+)"', header) if href.startswith("/")]
    assert len(links) >= 3, header
    for href in links:
        status = client.get(href).status_code
        assert status == 200, f"{role}: {href} answers {status}"
