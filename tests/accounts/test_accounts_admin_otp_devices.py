"""The security admin's TOTP device pages in the Django admin: an unknown device is a 404, never a 500."""

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


def test_an_existing_device_qr_code_is_drawn_as_svg(sec_client):
    device = TOTPDevice.objects.create(user=UserFactory(username="sys_dev", role=Role.SYSADMIN), name="手机")
    response = sec_client.get(f"/admin/otp_totp/totpdevice/{device.pk}/qrcode/")
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in response.content


def test_the_system_admin_has_no_device_pages(client):
    client.force_login(UserFactory(username="sys_nodev", role=Role.SYSADMIN))
    device = TOTPDevice.objects.create(user=UserFactory(username="other_dev", role=Role.SECADMIN), name="手机")
    assert client.get(f"/admin/otp_totp/totpdevice/{device.pk}/qrcode/").status_code == 403
