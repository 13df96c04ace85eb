"""The security admin cannot lock another admin out of the admin site by giving them a second-factor device they do
not hold: no backup-code (备用口令) or TOTP device is added for anyone in the admin, and an existing device keeps its
owner and its confirmation. The other admin still signs in with their password and reaches the admin."""

import pytest
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.roles import Role
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

STATIC_ADD = "/admin/otp_static/staticdevice/add/"


@pytest.fixture
def secadmin_client(client):
    client.force_login(UserFactory(username="sec_planter", role=Role.SECADMIN))
    return client


def test_no_confirmed_backup_code_device_is_added_for_another_admin(secadmin_client, client):
    target = UserFactory(username="ex_sys1", role=Role.SYSADMIN)
    assert secadmin_client.get(STATIC_ADD).status_code == 403
    response = secadmin_client.post(STATIC_ADD, {"user": target.pk, "name": "backup", "confirmed": "on"})
    assert response.status_code == 403
    assert not StaticDevice.objects.filter(user=target).exists()

    secadmin_client.logout()
    client.post("/admin/login/", {"username": "ex_sys1", "password": PASSWORD})
    landing = client.get("/admin/")
    assert landing.status_code == 200, landing.get("Location")


@pytest.mark.parametrize("model", [StaticDevice, TOTPDevice])
def test_a_device_keeps_its_owner_and_confirmation(secadmin_client, model):
    owner = UserFactory(username="sys_owner", role=Role.SYSADMIN)
    other = UserFactory(username="sys_other", role=Role.SYSADMIN)
    device = model.objects.create(user=owner, name="手机", confirmed=False)
    opts = model._meta
    url = f"/admin/{opts.app_label}/{opts.model_name}/{device.pk}/change/"
    page = secadmin_client.get(url).content.decode()
    assert 'name="confirmed"' not in page and 'name="user"' not in page
    data = {"user": other.pk, "name": "改名", "confirmed": "on"}
    if model is TOTPDevice:
        data.update({"step": 30, "t0": 0, "digits": 6, "tolerance": 1, "drift": 0, "throttling_failure_count": 0})
    assert secadmin_client.post(url, data).status_code == 302
    device.refresh_from_db()
    assert (device.user, device.confirmed, device.name) == (owner, False, "改名")
