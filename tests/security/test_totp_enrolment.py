"""An admin binds a TOTP device: QR code drawn server-side as inline SVG, the secret for manual entry, a code to confirm."""

import re
from base64 import b32decode
from urllib.parse import quote, unquote

import pytest
import segno
from django.conf import settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.roles import Role
from accounts.totp import PENDING_KEY_SESSION_KEY
from audit.models import AuditEvent
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ENROL = "/admin/two-factor/"


def _modules(svg: str) -> set[tuple[int, int]]:
    """The dark modules (column, row) drawn by the SVG's ``qrline`` path (segno's line segments)."""
    d = re.search(r'<path[^>]*class="qrline"[^>]*\sd="([^"]+)"', svg).group(1)
    dark, x, y = set(), 0.0, 0.0
    for cmd, a, b in re.findall(r"([MmHh])(-?\d+(?:\.\d+)?)(?:\s(-?\d+(?:\.\d+)?))?", d):
        if cmd == "M":
            x, y = float(a), float(b)
        elif cmd == "m":
            x, y = x + float(a), y + float(b)
        else:
            length = float(a) if cmd == "h" else float(a) - x
            dark.update((int(x) + i, int(y)) for i in range(int(length)))
            x += length
    return dark


def decode_qr(svg: str, candidates: list[str]) -> str | None:
    """Which of ``candidates`` the QR code in ``svg`` encodes (whatever error level and mask it was drawn with)."""
    drawn = _modules(svg)
    for text in candidates:
        for error in "LMQH":
            for mask in range(8):
                code = segno.make(text, error=error, mask=mask, micro=False, boost_error=False)
                border = 4
                expected = {
                    (col + border, row + border)
                    for row, line in enumerate(code.matrix)
                    for col, bit in enumerate(line)
                    if bit
                }
                if expected == drawn:
                    return text
    return None


def current_code(key_hex: str, drift: int = 0) -> str:
    return f"{totp(bytes.fromhex(key_hex), drift=drift):06d}"


@pytest.fixture
def admin_client(client):
    user = UserFactory(username="sec_otp", role=Role.SECADMIN)
    client.force_login(user)
    client.user = user
    return client


def test_enrolment_page_shows_a_qr_code_of_the_device_uri_and_the_secret_in_groups(admin_client):
    response = admin_client.get(ENROL)
    assert response.status_code == 200
    page = response.content.decode()
    svg = re.search(r'<svg[^>]*class="segno".*?</svg>', page, re.S).group(0)
    key = admin_client.session[PENDING_KEY_SESSION_KEY]

    # Confirm with the app's code; the stored device is the one the QR code described.
    response = admin_client.post(ENROL, {"otp_token": current_code(key), "name": "办公手机"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    device = TOTPDevice.objects.get(user=admin_client.user)
    assert device.confirmed and device.name == "办公手机" and device.key == key
    assert decode_qr(svg, [device.config_url.replace("sec_otp", "sec_otq")]) is None
    assert decode_qr(svg, [device.config_url]) == device.config_url

    uri = device.config_url
    assert unquote(uri).startswith(f"otpauth://totp/{settings.OTP_TOTP_ISSUER}:sec_otp?")
    assert f"issuer={quote(settings.OTP_TOTP_ISSUER)}" in uri
    assert "南昌市教育局" in unquote(uri)
    secret = b32decode(re.search(r'<code class="otp-secret">([A-Z2-7 ]+)</code>', page).group(1).replace(" ", ""))
    assert secret == bytes.fromhex(key)
    assert re.search(r'<code class="otp-secret">([A-Z2-7]{4} ){7}[A-Z2-7]{4}</code>', page)
    # No script, no external image: the QR code is inline markup.
    assert "<script" not in svg and "href" not in svg and "<img" not in page
    assert AuditEvent.objects.filter(action="create", object_type="otp_totp.totpdevice", username="sec_otp").exists()
    # The session that enrolled has passed the device: the admin stays in.
    assert admin_client.get("/admin/").status_code == 200


def test_reloading_the_page_keeps_the_same_secret(admin_client):
    first = admin_client.get(ENROL).content
    assert admin_client.get(ENROL).content.count(b"otp-secret") == 1
    assert re.search(rb'<svg[^>]*class="segno".*?</svg>', first, re.S).group(0) in admin_client.get(ENROL).content


def test_a_wrong_code_is_refused_in_chinese_and_nothing_is_stored(admin_client):
    admin_client.get(ENROL)
    key = admin_client.session[PENDING_KEY_SESSION_KEY]
    wrong = f"{(int(current_code(key)) + 1) % 1_000_000:06d}"
    response = admin_client.post(ENROL, {"otp_token": wrong})
    assert response.status_code == 200
    assert "动态口令不正确或已过期" in response.content.decode()
    assert not TOTPDevice.objects.exists()
    assert AuditEvent.objects.filter(action="otp_failed", username="sec_otp", detail__stage="enrol").exists()
    # Letters, too long, empty: a message, never a 500.
    for token in ("abcdef", "1" * 40, ""):
        response = admin_client.post(ENROL, {"otp_token": token, "name": "x" * 65 if token == "" else ""})
        assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert not TOTPDevice.objects.exists()
    assert admin_client.session[PENDING_KEY_SESSION_KEY] == key


def test_a_lost_pending_secret_asks_to_rescan(admin_client):
    response = admin_client.post(ENROL, {"otp_token": "123456"})
    assert response.status_code == 200 and "请刷新页面后重新扫描二维码" in response.content.decode()
    assert not TOTPDevice.objects.exists()


def test_an_admin_with_a_device_cannot_bind_a_second_one(client):
    user = UserFactory(username="sys_otp", role=Role.SYSADMIN)
    device = TOTPDevice.objects.create(user=user, name="旧手机", confirmed=True)
    client.post("/admin/login/", {"username": "sys_otp", "password": PASSWORD})
    # The second factor is owed first: the enrolment page is behind it.
    assert client.get(ENROL)["Location"].startswith("/admin/login/")
    client.post("/admin/otp/", {"otp_token": current_code(device.key)})
    response = client.get(ENROL)
    assert response.status_code == 200 and "已绑定动态口令设备" in response.content.decode()
    assert 'class="segno"' not in response.content.decode() and "otp-secret" not in response.content.decode()
    client.post(ENROL, {"otp_token": "123456"})
    assert TOTPDevice.objects.filter(user=user).count() == 1


@pytest.mark.parametrize("role", [Role.CLERK, Role.REVIEWER, Role.AUDITOR])
def test_non_admin_roles_have_no_enrolment_page(client, role):
    client.force_login(UserFactory(username=f"{role}_otp", role=role))
    response = client.get(ENROL)
    assert response.status_code in (302, 403)
    assert client.post(ENROL, {"otp_token": "123456"}).status_code in (302, 403)
    assert not TOTPDevice.objects.exists()


def test_the_admin_index_links_to_the_enrolment_page(admin_client):
    assert ENROL in admin_client.get("/admin/").content.decode()
