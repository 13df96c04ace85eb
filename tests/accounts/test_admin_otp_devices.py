"""The security admin's TOTP device pages in the Django admin: an unknown device is a 404, never a 500, and no
device's secret is shown (each admin binds their own at /admin/two-factor/)."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sec_client(client):
    client.force_login(UserFactory(username="sec_devices", role=Role.SECADMIN))
    return client


@pytest.mark.parametrize("page", ["config", "qrcode"])
def test_an_unknown_device_page_is_404(sec_client, page):
    assert sec_client.get(f"/admin/otp_totp/totpdevice/999999/{page}/").status_code == 404


def test_another_admins_device_secret_is_never_shown_not_even_to_the_security_admin(sec_client):
    device = TOTPDevice.objects.create(user=UserFactory(username="sys_dev", role=Role.SYSADMIN), name="手机")
    for page in ("qrcode", "config"):
        assert sec_client.get(f"/admin/otp_totp/totpdevice/{device.pk}/{page}/").status_code == 403
    change = sec_client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/")
    assert change.status_code == 200
    assert device.key not in change.content.decode() and "/qrcode/" not in change.content.decode()


def test_the_system_admin_has_no_device_pages(client):
    client.force_login(UserFactory(username="sys_nodev", role=Role.SYSADMIN))
    device = TOTPDevice.objects.create(user=UserFactory(username="other_dev", role=Role.SECADMIN), name="手机")
    assert client.get(f"/admin/otp_totp/totpdevice/{device.pk}/qrcode/").status_code == 403


def test_the_security_admin_cannot_plant_or_rebind_a_device(sec_client):
    target = UserFactory(username="sys_target", role=Role.SYSADMIN)
    assert sec_client.get("/admin/otp_totp/totpdevice/add/").status_code == 403
    response = sec_client.post(
        "/admin/otp_totp/totpdevice/add/",
        {"user": target.pk, "name": "x", "key": "3132333435363738393031323334353637383930", "confirmed": "on"},
    )
    assert response.status_code == 403 and not TOTPDevice.objects.filter(user=target).exists()

    device = TOTPDevice.objects.create(user=target, name="手机", confirmed=False)
    other = UserFactory(username="sec_other", role=Role.SECADMIN)
    data = {"user": other.pk, "name": "改名", "key": "3132333435363738393031323334353637383930", "confirmed": "on"}
    data.update({"step": 30, "t0": 0, "digits": 6, "tolerance": 1, "drift": 0})
    sec_client.post(f"/admin/otp_totp/totpdevice/{device.pk}/change/", data)
    device.refresh_from_db()
    assert device.user == target and not device.confirmed
    assert device.key != "3132333435363738393031323334353637383930"
