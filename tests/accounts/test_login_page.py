"""The sign-in page in Chinese: a wrong password is named, with the lockout rule, and nothing signs in."""

import pytest
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


def test_accounts_urls_sign_in_with_the_bounded_form_and_keep_the_other_pages(client):
    response = client.post("/accounts/login/", {"username": "x" * 5000, "password": "wrong"})
    assert response.status_code == 200
    assert "确保该变量包含不超过 150 字符" in response.content.decode()
    assert reverse("login") == "/accounts/login/" and reverse("password_change") == "/accounts/password_change/"
    UserFactory(username="clerk_urls")
    response = client.post("/accounts/login/", {"username": "clerk_urls", "password": PASSWORD})
    assert response.status_code == 302 and "_auth_user_id" in client.session
    assert client.get("/accounts/password_change/").status_code == 200


@pytest.mark.parametrize(
    "url", ["/accounts/password_reset/", "/accounts/password_reset/done/", "/accounts/reset/done/"]
)
def test_there_is_no_self_service_password_reset_by_email(client, url):
    # Passwords are reset by the security admin (三员分立); an e-mailed link would bypass lockout and the second factor.
    assert client.get(url).status_code == 404


@pytest.mark.postgres
def test_a_nul_byte_in_a_token_or_an_overlong_username_is_refused_not_a_500_on_postgresql(client):
    # PostgreSQL refuses NUL in text: the API's token class and the sign-in form stop both before any query.
    response = client.get("/api/v1/items/", HTTP_AUTHORIZATION="Token ab\x00cd")
    assert response.status_code == 403 and response.json() == {"detail": "认证令牌无效。"}
    response = client.post("/accounts/login/", {"username": "x" * 5000, "password": "wrong"})
    assert response.status_code == 200 and "确保该变量包含不超过 150 字符" in response.content.decode()
