"""The security admin's TOTP device pages in the Django admin: an unknown device is a 404, never a 500, and no
device's secret is shown (each admin binds their own at /admin/two-factor/)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_otp import DEVICE_ID_SESSION_KEY, device_classes
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


@pytest.mark.parametrize("page", ["/admin/", "/admin/credit/office/", "/admin/django_celery_beat/crontabschedule/add/"])
def test_an_admin_page_asks_for_the_admins_devices_once(client, page):
    """Whether the admin owes a second factor is read once per page, not on each of the admin's permission checks (the
    page, its context); for an admin who has passed it this session, not at all."""
    admin = UserFactory(username="sys_pages", role=Role.SYSADMIN)
    client.force_login(admin)
    # One query per kind of device django-otp knows (TOTP, static codes …): the question asked once.
    assert len(_device_queries(client, page)) == len(list(device_classes()))

    device = TOTPDevice.objects.create(user=admin, name="手机", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    # Verified: only django-otp's own look-up of the device this session passed with.
    assert len(_device_queries(client, page)) == 1


def _device_queries(client, page) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(page).status_code == 200
    return [q["sql"] for q in queries if '"otp_' in q["sql"]]
