"""An admin who still owes the second factor is sent to the OTP page with the page they asked for, intact."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.roles import Role
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_the_requested_page_survives_the_otp_step_with_its_query(client):
    user = UserFactory(username="sec_next", role=Role.SECADMIN)
    device = TOTPDevice.objects.create(user=user, name="手机", confirmed=True)
    client.post("/admin/login/", {"username": "sec_next", "password": PASSWORD})
    wanted = "/admin/accounts/user/?q=a&role=clerk"
    response = client.get("/admin/login/", {"next": wanted})
    assert response.status_code == 302
    assert response["Location"] == "/admin/otp/?next=%2Fadmin%2Faccounts%2Fuser%2F%3Fq%3Da%26role%3Dclerk"
    page = client.get(response["Location"]).content.decode()
    assert 'value="/admin/accounts/user/?q=a&amp;role=clerk"' in page
    code = f"{totp(device.bin_key):06d}"
    response = client.post("/admin/otp/", {"otp_token": code, "next": wanted})
    assert response.status_code == 302 and response["Location"] == wanted
