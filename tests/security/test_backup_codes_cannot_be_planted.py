"""The security admin manages other admins' backup-code devices but cannot plant codes of their own choosing on
another admin's account: the backup-code (static token) inline is not offered, and a forged inline POST adds none."""

import pytest
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from accounts.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def secadmin_client(client):
    client.force_login(UserFactory(username="sec_backup", role=Role.SECADMIN))
    return client


def test_security_admin_is_not_offered_backup_codes_to_fill_in(secadmin_client):
    page = secadmin_client.get("/admin/otp_static/staticdevice/add/")
    assert page.status_code in (200, 403)
    assert b"token_set" not in page.content


def test_forged_backup_codes_are_not_stored(secadmin_client, sysadmin):
    secadmin_client.post(
        "/admin/otp_static/staticdevice/add/",
        {
            "user": sysadmin.pk,
            "name": "backup",
            "confirmed": "on",
            "token_set-TOTAL_FORMS": "1",
            "token_set-INITIAL_FORMS": "0",
            "token_set-0-token": "planted1",
        },
    )
    assert not StaticToken.objects.filter(token="planted1").exists()
    assert not StaticDevice.objects.filter(user=sysadmin, token_set__isnull=False).exists()
