"""API tokens (SECURITY.md H2, L2): stored only as a hash, the key shown once, never listable in clear; they expire,
and die with deactivation, a password change, password expiry and forced sign-out; every use is audited as the
token's owner."""

import datetime
import io
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from accounts.api_tokens import api_token_create
from accounts.models import ApiToken
from accounts.sessions import user_sessions_revoke
from audit.models import AuditEvent
from tests.factories import create_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(clerk):
    return create_record(8, clerk, status="submitted")


def _get(client, key, url="/api/v1/items/"):
    return client.get(url, HTTP_AUTHORIZATION=f"Token {key}")


def _all_stored_text() -> str:
    """Every column of every token row, as text: what a database reader (or a backup) would see."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {ApiToken._meta.db_table}")
        return " ".join(str(value) for row in cursor.fetchall() for value in row)


def test_token_is_stored_hashed_and_the_database_holds_no_key(reviewer):
    token, key = api_token_create(user=reviewer)
    stored = _all_stored_text()
    assert key not in stored
    assert len(key) == 64
    assert token.digest != key and len(token.digest) == 128  # SHA-512 of the key
    assert key.startswith(token.token_key)  # only the first characters, to find the row


def test_token_key_is_shown_once_by_the_command_and_works(client, reviewer):
    out, err = io.StringIO(), io.StringIO()
    call_command("create_api_token", reviewer.username, stdout=out, stderr=err)
    key = out.getvalue().strip()
    assert "只显示这一次" in err.getvalue()
    assert key not in _all_stored_text()
    assert _get(client, key).status_code == 200
    event = AuditEvent.objects.get(action="create", object_type="accounts.apitoken")
    assert event.detail["owner"] == reviewer.username and event.detail["via"] == "command"
    assert event.user is None  # made on the server, not by the owner
    assert key not in str(event.detail)


@pytest.mark.parametrize("role", ["sysadmin", "secadmin", "auditor"])
def test_command_refuses_a_token_for_an_admin_role(request, role):
    from django.core.management import CommandError

    user = request.getfixturevalue(role)
    with pytest.raises(CommandError, match="管理员角色"):
        call_command("create_api_token", user.username, stdout=io.StringIO(), stderr=io.StringIO())
    assert not ApiToken.objects.exists()


@override_settings(API_TOKEN_TTL_DAYS=7)
def test_token_expires_after_the_configured_number_of_days(reviewer):
    token, _key = api_token_create(user=reviewer)
    assert abs(token.expiry - (timezone.now() + datetime.timedelta(days=7))) < datetime.timedelta(minutes=1)


def test_token_expires_after_90_days_by_default(reviewer):
    token, _key = api_token_create(user=reviewer)
    assert abs(token.expiry - (timezone.now() + datetime.timedelta(days=90))) < datetime.timedelta(minutes=1)


def test_expired_token_is_refused(client, reviewer):
    token, key = api_token_create(user=reviewer)
    ApiToken.objects.filter(pk=token.pk).update(expiry=timezone.now() - datetime.timedelta(seconds=1))
    response = _get(client, key)
    assert response.status_code in (401, 403)
    assert response.json()["detail"] == "API 令牌已过期，请重新申请。"


def test_token_dies_with_deactivation(client, reviewer):
    _token, key = api_token_create(user=reviewer)
    assert _get(client, key).status_code == 200
    reviewer.is_active = False
    reviewer.save()
    assert _get(client, key).status_code in (401, 403)


def test_token_dies_with_password_change(client, reviewer):
    _token, key = api_token_create(user=reviewer)
    assert _get(client, key).status_code == 200
    reviewer.set_password("Xin9#Mima7b")
    reviewer.save()
    response = _get(client, key)
    assert response.status_code in (401, 403)
    assert "密码已修改" in response.json()["detail"]


def test_token_dies_with_a_password_reset_by_the_security_admin(client, reviewer, secadmin):
    _token, key = api_token_create(user=reviewer)
    admin = type(client)()
    admin.force_login(secadmin)
    response = admin.post(
        f"/admin/accounts/user/{reviewer.pk}/password/",
        {"password1": "Xin9#Mima7b", "password2": "Xin9#Mima7b", "usable_password": "true"},
    )
    assert response.status_code == 302
    assert _get(client, key).status_code in (401, 403)


def test_token_dies_with_password_expiry(client, reviewer):
    _token, key = api_token_create(user=reviewer)
    reviewer.password_changed_at = timezone.now() - datetime.timedelta(days=200)
    reviewer.save()
    response = _get(client, key)
    assert response.status_code in (401, 403)
    assert response.json()["detail"] == "您的密码已超过90天未修改，请先修改密码。"


def test_token_dies_with_forced_sign_out(client, reviewer):
    _token, key = api_token_create(user=reviewer)
    assert _get(client, key).status_code == 200
    user_sessions_revoke(user=reviewer, reason="admin")
    response = _get(client, key)
    assert response.status_code in (401, 403)
    assert "强制下线" in response.json()["detail"]


def test_a_new_token_works_after_forced_sign_out(client, reviewer):
    user_sessions_revoke(user=reviewer, reason="admin")
    _token, key = api_token_create(user=reviewer)
    assert _get(client, key).status_code == 200


def test_token_use_is_audited_as_its_owner_with_the_token_prefix(client, reviewer, secadmin, record):
    token, key = api_token_create(user=reviewer)
    # Whoever holds the key (here a client that calls itself the security admin's laptop) is recorded as the owner.
    response = client.get(
        f"/api/v1/records/{record.pk}/", HTTP_AUTHORIZATION=f"Token {key}", HTTP_USER_AGENT="secadmin-laptop"
    )
    assert response.status_code == 200
    use = AuditEvent.objects.get(action="login", path=f"/api/v1/records/{record.pk}/")
    assert use.user == reviewer and use.username == reviewer.username
    assert use.detail == {"via": "api_token", "token_prefix": token.display_prefix, "token_id": token.pk}
    assert use.object_type == "accounts.apitoken" and use.object_id == str(token.pk)
    shown = AuditEvent.objects.get(action="view_personal_data")
    assert shown.user == reviewer
    assert not AuditEvent.objects.filter(user=secadmin).exists()
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_refused_token_use_is_audited_as_its_owner(client, reviewer):
    token, key = api_token_create(user=reviewer)
    user_sessions_revoke(user=reviewer, reason="admin")
    _get(client, key)
    failed = AuditEvent.objects.get(action="login_failed")
    assert failed.user == reviewer
    assert failed.detail["token_id"] == token.pk


def test_admin_token_list_shows_owner_and_prefix_but_no_key(client, secadmin, reviewer):
    token, key = api_token_create(user=reviewer)
    client.force_login(secadmin)
    response = client.get("/admin/accounts/apitoken/")
    assert response.status_code == 200
    page = response.content.decode()
    assert reviewer.username in page
    assert token.display_prefix in page
    assert key not in page
    assert key[:20] not in page
    assert token.digest not in page


def test_viewing_the_token_list_is_audited(client, secadmin, reviewer):
    api_token_create(user=reviewer)
    client.force_login(secadmin)
    client.get("/admin/accounts/apitoken/")
    event = AuditEvent.objects.get(user=secadmin, object_type="accounts.apitoken")
    assert event.detail == {"page": "admin_api_tokens", "rows": 1}


def test_secadmin_cannot_read_a_key_or_make_a_token(client, secadmin, reviewer):
    token, key = api_token_create(user=reviewer)
    client.force_login(secadmin)
    detail = client.get(f"/admin/accounts/apitoken/{token.pk}/change/")
    assert detail.status_code == 200
    assert key not in detail.content.decode() and token.digest not in detail.content.decode()
    assert client.get("/admin/accounts/apitoken/add/").status_code == 403
    assert AuditEvent.objects.filter(user=secadmin, object_type="accounts.apitoken", object_id=str(token.pk)).exists()


def test_secadmin_revokes_a_token_and_it_stops_working(client, secadmin, reviewer):
    token, key = api_token_create(user=reviewer)
    admin = type(client)()
    admin.force_login(secadmin)
    response = admin.post(
        "/admin/accounts/apitoken/", {"action": "revoke_tokens", "_selected_action": [token.pk]}, follow=True
    )
    assert "已吊销 1 个 API 令牌" in response.content.decode()
    assert not ApiToken.objects.exists()
    assert AuditEvent.objects.get(action="delete", object_type="accounts.apitoken").user == secadmin
    assert _get(client, key).status_code in (401, 403)


def test_the_migration_deletes_the_old_clear_keys():
    from importlib import import_module

    migration = import_module("accounts.migrations.0006_delete_drf_clear_tokens")
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, user_id integer, created date)")
        cursor.execute(
            "INSERT INTO authtoken_token VALUES ('fba23c1ff6e75b58c8793b34277f791000301f38', 1, '2026-01-01')"
        )
    migration.delete_clear_keys(None, SimpleNamespace(connection=connection))
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM authtoken_token")
        assert cursor.fetchone()[0] == 0
        cursor.execute("DROP TABLE authtoken_token")
