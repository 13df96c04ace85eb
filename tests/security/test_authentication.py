"""Authentication per 等保2.0 level 2: lockout, password rules and age, session lifetime, sign-out everywhere, OTP."""

import datetime
import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.sessions import AUTH_AT_KEY, LAST_ACTIVITY_KEY, user_sessions_revoke
from audit.models import AuditEvent
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def login(client, username, password=PASSWORD, ip="192.0.2.10"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


# --- password rules ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("Ab1!xyz", "password_too_short"),  # 7 characters
        ("abcdefgh12", "password_too_simple"),  # two classes
        ("ABCDEFGH!!", "password_too_simple"),
        ("Zhangsan#2026", "password_contains_username"),
        ("Password1", "password_too_common"),
    ],
)
def test_weak_passwords_are_refused_in_chinese(password, code):
    user = UserFactory.build(username="zhangsan")
    with pytest.raises(ValidationError) as info:
        validate_password(password, user)
    assert code in {e.code for e in info.value.error_list}
    assert any("\u4e00" <= ch <= "\u9fff" for ch in " ".join(info.value.messages))


@pytest.mark.parametrize("password", ["Gz8#qLw2", "Xin#Mima2026", "Qiu7Tian9Yun3"])
def test_passwords_of_three_classes_pass(password):
    validate_password(password, UserFactory.build(username="zhangsan"))


@pytest.mark.parametrize(
    "password",
    [
        "Nanchang2026",
        "Jyj@2026",
        "11111111aA",
        "NCedu#2025ab",
        "Qwer!1234asdf",
        "1qaz@WSX3edc",
        "ＮＡＮＣＨＡＮＧ2026!",
    ],
)
def test_passwords_of_local_words_years_keyboard_runs_and_repeats_are_refused(password):
    with pytest.raises(ValidationError) as info:
        validate_password(password, UserFactory.build(username="zhangsan"))
    assert "password_predictable" in {e.code for e in info.value.error_list}
    assert "密码过于容易猜测" in " ".join(info.value.messages)


def change_password(client, old, new):
    return client.post("/accounts/password_change/", {"old_password": old, "new_password1": new, "new_password2": new})


def test_a_password_change_cannot_reuse_any_of_the_last_five_passwords(client):
    user = UserFactory(username="rotator")
    login(client, user.username)
    response = change_password(client, PASSWORD, PASSWORD)
    assert response.status_code == 200
    assert "新密码不能与最近 5 次使用过的密码相同" in response.content.decode()

    current = PASSWORD
    for new in ["Hui7#Lan9a", "Hui7#Lan9b", "Hui7#Lan9c", "Hui7#Lan9d"]:
        assert change_password(client, current, new).status_code == 302
        current = new
    assert change_password(client, current, PASSWORD).status_code == 200  # five passwords ago: still refused
    assert change_password(client, current, "Hui7#Lan9e").status_code == 302
    assert change_password(client, "Hui7#Lan9e", PASSWORD).status_code == 302  # six ago: allowed again
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert user.password_history.count() == 5


# --- lockout ---------------------------------------------------------------------------------------------------------


def test_sixth_failure_is_locked_out_while_another_account_from_the_same_address_signs_in(client):
    alice = UserFactory(username="alice")
    bob = UserFactory(username="bob")
    for _attempt in range(4):
        assert login(client, alice.username, "wrong").status_code == 200
    assert login(client, alice.username, "wrong").status_code == 429  # the fifth failure locks the account
    response = login(client, alice.username, PASSWORD)  # the sixth attempt is refused, even with the right password
    assert response.status_code == 429
    assert "账号已锁定" in response.content.decode()
    assert not signed_in(client)
    assert AuditEvent.objects.filter(action="lockout", object_repr="alice").exists()
    assert AuditEvent.objects.filter(action="login_failed", username="alice").count() >= 5

    response = login(client, bob.username, PASSWORD)
    assert response.status_code == 302 and signed_in(client)


def test_lockout_ends_after_thirty_minutes(client):
    from axes.models import AccessAttempt

    alice = UserFactory(username="alice")
    for _attempt in range(5):
        login(client, alice.username, "wrong")
    assert login(client, alice.username).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=31))
    assert login(client, alice.username).status_code == 302


def test_an_account_locked_from_one_address_still_signs_in_from_another(client):
    from django.test import Client

    secadmin = UserFactory(username="sec_target")
    for _attempt in range(5):
        login(client, secadmin.username, "wrong", ip="198.51.100.7")  # the attacker's address
    assert login(client, secadmin.username, ip="198.51.100.7").status_code == 429

    office = Client()
    response = login(office, secadmin.username, ip="192.0.2.44")
    assert response.status_code == 302 and signed_in(office)


def test_twenty_failures_over_twenty_accounts_lock_the_address(client):
    from django.test import Client

    victims = [UserFactory(username=f"spray{n:02d}") for n in range(21)]
    for victim in victims[:19]:
        assert login(client, victim.username, "Spring2026!", ip="203.0.113.9").status_code == 200
    assert login(client, victims[19].username, "Spring2026!", ip="203.0.113.9").status_code == 429
    # Locked: even a right password of an untouched account is refused from that address, not from others.
    response = login(client, victims[20].username, ip="203.0.113.9")
    assert response.status_code == 429 and "本地址登录失败次数过多" in response.content.decode()
    other = Client()
    assert login(other, victims[20].username, ip="192.0.2.45").status_code == 302


def test_signing_in_to_an_own_account_does_not_reset_the_address_count(client):
    from django.test import Client

    owned = UserFactory(username="sprayer")
    victims = [UserFactory(username=f"victim{n:02d}") for n in range(20)]
    for victim in victims[:19]:
        login(client, victim.username, "wrong", ip="203.0.113.10")
    other = Client()
    assert login(other, owned.username, ip="203.0.113.10").status_code == 302
    assert login(client, victims[19].username, "wrong", ip="203.0.113.10").status_code == 429


# --- sessions --------------------------------------------------------------------------------------------------------


def _age_session(client, **seconds_ago):
    session = client.session
    for key, ago in seconds_ago.items():
        session[key] = time.time() - ago
    session.save()


def test_an_idle_session_expires_after_thirty_minutes(client):
    user = UserFactory(username="idle")
    login(client, user.username)
    assert client.get("/workspace/audit/").status_code == 403  # signed in (and not an auditor)
    _age_session(client, **{LAST_ACTIVITY_KEY: 29 * 60})
    assert client.get("/accounts/password_change/").status_code == 200
    _age_session(client, **{LAST_ACTIVITY_KEY: 31 * 60})
    response = client.get("/accounts/password_change/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert not signed_in(client)
    assert AuditEvent.objects.filter(action="session_expired", username="idle", detail__reason="idle").exists()


def test_a_session_ends_after_twelve_hours_however_active(client):
    user = UserFactory(username="busy")
    login(client, user.username)
    _age_session(client, **{AUTH_AT_KEY: 12 * 3600 + 1, LAST_ACTIVITY_KEY: 10})
    response = client.get("/api/v1/items/")
    assert response.status_code == 401
    assert not signed_in(client)


def test_session_key_is_rotated_at_sign_in_and_dead_after_sign_out(client):
    user = UserFactory(username="rotate")
    client.get(LOGIN)
    before = client.cookies.get("sessionid")
    login(client, user.username)
    key = client.session.session_key
    assert before is None or before.value != key
    client.post("/accounts/logout/")
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=key).exists()


def test_password_change_ends_the_other_sessions(client, django_user_model):
    from django.test import Client

    user = UserFactory(username="changer")
    other = Client()
    login(other, user.username)
    login(client, user.username)
    response = client.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": "Xin#Mima2026", "new_password2": "Xin#Mima2026"},
    )
    assert response.status_code == 302
    assert client.get("/api/v1/items/").status_code == 200  # this session continues
    assert other.get("/api/v1/items/").status_code == 403  # the other one is signed out (anonymous)
    assert AuditEvent.objects.filter(action="password_change", object_id=str(user.pk)).exists()


def test_deactivation_and_forced_sign_out_end_every_session(client):
    user = UserFactory(username="leaver")
    login(client, user.username)
    assert client.get("/api/v1/items/").status_code == 200
    user_sessions_revoke(user=user)
    assert client.get("/api/v1/items/").status_code == 403
    login(client, user.username)
    assert client.get("/api/v1/items/").status_code == 200
    user.is_active = False
    user.save()
    assert client.get("/api/v1/items/").status_code == 403


# --- password age --------------------------------------------------------------------------------------------------


def test_a_password_older_than_ninety_days_must_be_changed_first(client):
    user = UserFactory(username="oldpw")
    login(client, user.username)
    type(user).objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - datetime.timedelta(days=91))
    response = client.get("/workspace/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/password_change/")
    assert client.get("/api/v1/items/").status_code == 403
    assert client.get("/accounts/password_change/").status_code == 200
    client.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": "Xin#Mima2026", "new_password2": "Xin#Mima2026"},
    )
    assert client.get("/api/v1/items/").status_code == 200


# --- OTP for admins --------------------------------------------------------------------------------------------------


def test_admin_with_a_totp_device_must_pass_it_to_enter_the_admin(client):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    admin = UserFactory(username="sec1", role="secadmin")
    device = TOTPDevice.objects.create(user=admin, name="手机", confirmed=True)
    response = client.post("/admin/login/", {"username": "sec1", "password": PASSWORD, "next": "/admin/"})
    assert response.status_code == 302
    response = client.get("/admin/")
    assert response.status_code == 302
    assert client.get(response["Location"], follow=True).redirect_chain[-1][0].startswith("/admin/otp/")
    assert client.post("/admin/otp/", {"otp_token": "000000"}).status_code == 200
    assert AuditEvent.objects.filter(action="otp_failed", username="sec1").exists()
    device.refresh_from_db()
    device.throttle_reset()  # django-otp slows down guessing after a failure
    token = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
    response = client.post("/admin/otp/", {"otp_token": token, "next": "/admin/"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_admin_without_a_device_signs_in_with_the_password(client):
    UserFactory(username="sys1", role="sysadmin")
    client.post("/admin/login/", {"username": "sys1", "password": PASSWORD, "next": "/admin/"})
    assert client.get("/admin/").status_code == 200
