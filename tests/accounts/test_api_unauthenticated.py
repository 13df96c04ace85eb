"""What the API answers a request without valid credentials: 403 with a Chinese message (DRF, session auth first).

DRF answers 401 only when the first authentication class sends a ``WWW-Authenticate`` challenge; session auth comes
first here, so "not signed in" and "bad token" are both 403, and a public endpoint needs no credentials at all.
"""

import re

import pytest

pytestmark = pytest.mark.django_db

RECORD_API = [
    ("get", "/api/v1/items/"),
    ("get", "/api/v1/items/8/records/"),
    ("post", "/api/v1/items/8/records/"),
    ("get", "/api/v1/records/1/"),
    ("patch", "/api/v1/records/1/"),
    ("post", "/api/v1/records/1/submit/"),
    ("get", "/api/v1/workdays/due-date/?start=2026-03-02&days=7"),
]


@pytest.mark.parametrize(("method", "url"), RECORD_API)
def test_an_anonymous_request_is_refused_with_403_in_chinese(client, method, url):
    response = getattr(client, method)(url, content_type="application/json")
    assert response.status_code == 403
    assert response.json() == {"detail": "身份认证信息未提供。"}


@pytest.mark.parametrize(
    "header",
    ["Token 0123456789abcdef0123456789abcdef01234567", "Token " + "a" * 5000, "Token ab\u00e9cd", "Token a/b"],
)
def test_an_unknown_or_malformed_token_is_refused_with_403_in_chinese(client, header):
    response = client.get("/api/v1/items/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 403
    assert re.search(r"[\u4e00-\u9fff]", response.json()["detail"])  # "认证令牌无效。" or DRF's bad-characters text


def test_a_public_endpoint_answers_without_credentials(client):
    assert client.get("/api/v1/public/penalties/").status_code == 200


@pytest.mark.parametrize("key", ["ab\x00cd", "a" * 63, "a" * 65, "a" * 63 + "\u00e9", "a" * 63 + "/"])
def test_the_portal_token_authentication_refuses_malformed_keys_without_a_query(key, django_assert_num_queries):
    from rest_framework.exceptions import AuthenticationFailed
    from rest_framework.test import APIRequestFactory

    from accounts.authentication import PortalTokenAuthentication

    request = APIRequestFactory().get("/api/v1/items/", HTTP_AUTHORIZATION=f"Token {key}")
    with django_assert_num_queries(0), pytest.raises(AuthenticationFailed) as refused:
        PortalTokenAuthentication().authenticate(request)
    assert str(refused.value.detail) in {"认证令牌无效。", "无效的Token。Token字符串不能包含非法的字符。"}


def test_the_portal_token_authentication_accepts_a_real_token():
    from rest_framework.test import APIRequestFactory

    from accounts.api_tokens import api_token_create
    from accounts.authentication import PortalTokenAuthentication
    from tests.factories import clerk_of

    token, key = api_token_create(user=clerk_of("zuren"))
    request = APIRequestFactory().get("/api/v1/items/", HTTP_AUTHORIZATION=f"Token {key}")
    assert PortalTokenAuthentication().authenticate(request) == (token.user, token)
