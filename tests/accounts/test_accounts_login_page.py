"""The sign-in page in Chinese: a wrong password is named, with the lockout rule, and nothing signs in."""

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_a_wrong_password_is_refused_in_chinese_with_the_lockout_rule(client):
    UserFactory(username="clerk_login")
    response = client.post("/accounts/login/", {"username": "clerk_login", "password": "wrong"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "用户名" in page and "连续5次登录失败，账号将被锁定30分钟。" in page
    assert "_auth_user_id" not in client.session


def test_an_overlong_username_at_the_admin_sign_in_is_a_field_error(client):
    response = client.post("/admin/login/", {"username": "x" * 5000, "password": "wrong", "next": "/admin/"})
    assert response.status_code == 200
    assert "确保该变量包含不超过 150 字符" in response.content.decode()


def test_the_portal_sign_in_form_bounds_the_username():
    from accounts.forms import PortalAuthenticationForm

    form = PortalAuthenticationForm(data={"username": "x" * 151, "password": "wrong"})
    assert not form.is_valid()
    assert "确保该变量包含不超过 150 字符" in form.errors["username"][0]


@override_settings(ROOT_URLCONF="tests.accounts.urls_accounts_wiring")
def test_accounts_urls_sign_in_with_the_bounded_form_and_keep_the_other_pages(client):
    response = client.post("/accounts/login/", {"username": "x" * 5000, "password": "wrong"})
    assert response.status_code == 200
    assert "确保该变量包含不超过 150 字符" in response.content.decode()
    assert reverse("login") == "/accounts/login/" and reverse("password_change") == "/accounts/password_change/"
    UserFactory(username="clerk_urls")
    response = client.post("/accounts/login/", {"username": "clerk_urls", "password": PASSWORD})
    assert response.status_code == 302 and "_auth_user_id" in client.session
    assert client.get("/accounts/password_change/").status_code == 200
