"""A form sent after the session expired: the sign-in page says why, and that what was typed was not saved."""

import time

import pytest
from django.conf import settings

from accounts.sessions import LAST_ACTIVITY_KEY
from tests.factories import record_values

pytestmark = pytest.mark.django_db


def test_form_sent_after_the_idle_timeout_says_it_was_not_saved(clerk_client):
    session = clerk_client.session
    session[LAST_ACTIVITY_KEY] = time.time() - 31 * 60
    session.save()
    response = clerk_client.post("/workspace/items/8/new/", record_values(8), follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0].startswith("/accounts/login/?next=")
    assert "会话已超时" in page and "未保存" in page


def test_sign_in_page_reached_with_a_dead_session_says_why(clerk_client):
    key = clerk_client.cookies[settings.SESSION_COOKIE_NAME].value
    from django.contrib.sessions.models import Session

    Session.objects.filter(session_key=key).delete()  # ended elsewhere (sign-out, password change, cleanup)
    response = clerk_client.get("/workspace/items/8/new/", follow=True)
    page = response.content.decode()
    assert "登录已失效" in page and "登录后恢复" in page


def test_plain_visit_to_the_sign_in_page_shows_no_warning(client):
    assert "登录已失效" not in client.get("/accounts/login/").content.decode()
