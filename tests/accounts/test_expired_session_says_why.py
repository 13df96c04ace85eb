"""A form sent after the session expired: the sign-in page says why, that what was typed was not saved, and signing in
leads back to the page the form was on."""

import time

import pytest
from django.conf import settings
from django.test import Client

from accounts.sessions import LAST_ACTIVITY_KEY
from credit.models import RecordStatus
from tests.factories import PASSWORD, a_draft, record_values

pytestmark = pytest.mark.django_db


def test_form_sent_after_the_idle_timeout_says_it_was_not_saved(clerk_client):
    session = clerk_client.session
    session[LAST_ACTIVITY_KEY] = time.time() - 31 * 60
    session.save()
    form_page = "/workspace/items/8/new/"
    response = clerk_client.post(form_page, record_values(8), follow=True, HTTP_REFERER=f"http://testserver{form_page}")
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == f"/accounts/login/?next={form_page}"
    assert "会话已超时" in page and "未保存" in page


def _sign_in(client: Client, login_url: str, username: str):
    next_page = login_url.partition("next=")[2]
    return client.post(login_url, {"username": username, "password": PASSWORD, "next": next_page}, follow=True)


def test_a_button_pressed_on_a_page_left_open_leads_back_to_that_page_after_signing_in():
    # 提交审核 pressed on a record's page whose session has ended: its address takes POST only.
    record, clerk = a_draft()
    record_page = f"/workspace/records/{record.pk}/"
    client = Client()
    response = client.post(f"{record_page}submit/", HTTP_REFERER=f"http://testserver{record_page}")
    assert response.status_code == 302 and response["Location"] == f"/accounts/login/?next={record_page}"
    signed_in = _sign_in(client, response["Location"], clerk.username)
    # Back on the record's page, where the button is to press again, not on the button's address (an empty 405).
    assert signed_in.redirect_chain[-1] == (record_page, 302)
    assert signed_in.status_code == 200 and "提交审核" in signed_in.content.decode()
    record.refresh_from_db()
    assert record.status == RecordStatus.DRAFT  # nothing was done without a session


def test_a_form_sent_without_a_session_from_elsewhere_leads_to_the_users_home():
    record, clerk = a_draft()
    client = Client()
    for referer in ({}, {"HTTP_REFERER": "https://elsewhere.example/workspace/"}):
        response = client.post(f"/workspace/records/{record.pk}/submit/", **referer)
        assert response.status_code == 302 and response["Location"] == settings.LOGIN_URL
    signed_in = _sign_in(client, settings.LOGIN_URL, clerk.username)
    assert signed_in.status_code == 200 and signed_in.redirect_chain[-1][0] == "/workspace/"


def test_sign_in_page_reached_with_a_dead_session_says_why(clerk_client):
    key = clerk_client.cookies[settings.SESSION_COOKIE_NAME].value
    from django.contrib.sessions.models import Session

    Session.objects.filter(session_key=key).delete()  # ended elsewhere (sign-out, password change, cleanup)
    response = clerk_client.get("/workspace/items/8/new/", follow=True)
    page = response.content.decode()
    assert "登录已失效" in page and "登录后恢复" in page


def test_plain_visit_to_the_sign_in_page_shows_no_warning(client):
    assert "登录已失效" not in client.get("/accounts/login/").content.decode()
