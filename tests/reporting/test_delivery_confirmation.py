"""Where batches go changes only with two people (H1): the system admin's new channel, folder, address or token waits
until a security admin, not the proposer, confirms it; deliveries keep the settings confirmed last. A failed delivery
names the platform's host, never an address, port or the connection's error text. No network: DNS and the HTTP
connection are stubbed."""

import socket

import pytest
import requests
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.roles import Role
from audit.models import AuditEvent
from core.errors import ForbiddenError, StateError
from credit.models import Item
from reporting.models import BatchKind, DeliverySettings, ExportBatch
from reporting.services.batches import batch_create, batch_deliver
from reporting.services.delivery import (
    delivery_settings_confirm,
    delivery_settings_reject,
    delivery_settings_update,
    pending_version,
)
from reporting.transports import DropFolderTransport, TransportError, delivery_config, get_transport
from tests.factories import UserFactory
from tests.reporting.delivery_confirmation import update_and_confirm

pytestmark = pytest.mark.django_db

CHANGE = reverse("admin:reporting_deliverysettings_change", args=[1])
CONFIRM = reverse("admin:reporting_deliverysettings_confirm")
PUBLIC = "93.184.216.34"
OLD_TOKEN, NEW_TOKEN = "tok-confirmed-0001", "tok-proposed-9999"


@pytest.fixture(autouse=True)
def env(settings):
    settings.REPORTING_TRANSPORT = "http"
    settings.REPORTING_HTTP_URL = "https://platform.env.example/upload"
    settings.REPORTING_HTTP_TOKEN = "env-token"
    settings.REPORTING_DELIVERY_ALLOWED_HOSTS = ["platform.example", "backup.example"]
    settings.REPORTING_DELIVERY_TEST_LOOPBACK = False
    return settings


@pytest.fixture
def confirmed(sysadmin):
    """Settings in force: platform.example with OLD_TOKEN, confirmed by a security admin."""
    return update_and_confirm(
        user=sysadmin, transport="http", http_url="https://platform.example/upload", new_token=OLD_TOKEN
    )


def _form(**overrides):
    return {
        "transport": "http",
        "drop_dir": "",
        "http_url": "https://backup.example/in",
        "new_token": NEW_TOKEN,
        "http_timeout": "30",
        "max_retries": "2",
        **overrides,
    }


def _stub_platform(monkeypatch):
    """DNS answers a public address; the HTTP connection answers 200 and records what was sent."""
    monkeypatch.setattr(
        socket, "getaddrinfo", lambda host, port, *a, **k: [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (PUBLIC, port))]
    )
    sent = []

    def send(adapter, request, **kwargs):
        sent.append({"url": request.url, "authorization": request.headers.get("Authorization")})
        response = requests.Response()
        response.status_code, response._content = 200, b'{"receipt": "R-1"}'
        response.url, response.request = request.url, request
        return response

    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", send)
    return sent


def _deliver_one(make_records):
    make_records(8, 1)
    batch = batch_create(item=Item.objects.get(no=8), kind=BatchKind.INCREMENTAL)
    return batch_deliver(batch_id=batch.pk)


def test_endpoint_change_waits_for_security_admin_confirmation(client, sysadmin, confirmed):
    client.force_login(sysadmin)
    response = client.post(CHANGE, _form(), follow=True)
    assert response.status_code == 200
    assert "待安全管理员确认" in response.content.decode()
    row = DeliverySettings.objects.get()
    assert (row.http_url, row.http_token) == ("https://platform.example/upload", OLD_TOKEN)  # still in force
    assert (row.pending_http_url, row.pending_by) == ("https://backup.example/in", sysadmin)
    config = delivery_config()
    assert (config.http_url, config.http_token) == ("https://platform.example/upload", OLD_TOKEN)
    # The change page shows the proposal (to edit it further) and that it waits.
    page = client.get(CHANGE).content.decode()
    assert "待安全管理员确认" in page and "https://backup.example/in" in page
    event = AuditEvent.objects.filter(
        object_type="reporting.deliverysettings", action="change", detail__has_key="status"
    ).get()
    assert event.detail["status"] == "pending_confirmation"
    assert event.detail["changes"]["http_url"] == {
        "old": "https://platform.example/upload",
        "new": "https://backup.example/in",
    }
    assert event.detail["token_action"] == "replaced"
    assert NEW_TOKEN not in str(list(AuditEvent.objects.values_list("detail", flat=True)))


def test_delivery_uses_last_confirmed_endpoint(make_records, sysadmin, confirmed, monkeypatch):
    delivery_settings_update(user=sysadmin, transport="http", http_url="https://backup.example/in", new_token=NEW_TOKEN)
    sent = _stub_platform(monkeypatch)
    _deliver_one(make_records)
    assert sent == [{"url": "https://platform.example/upload", "authorization": f"Bearer {OLD_TOKEN}"}]


def test_first_settings_apply_only_once_confirmed(sysadmin, tmp_path):
    delivery_settings_update(user=sysadmin, transport="dropfolder", drop_dir=str(tmp_path / "new"))
    config = delivery_config()
    # Until a security admin confirms, the operators' environment settings stay in force.
    assert (config.transport, config.http_url, config.http_token) == (
        "http",
        "https://platform.env.example/upload",
        "env-token",
    )
    delivery_settings_confirm(user=UserFactory(role=Role.SECADMIN))
    transport = get_transport()
    assert isinstance(transport, DropFolderTransport) and transport.directory == tmp_path / "new"


def test_security_admin_confirms_on_the_confirmation_page(
    client, secadmin, sysadmin, confirmed, make_records, monkeypatch
):
    delivery_settings_update(user=sysadmin, transport="http", http_url="https://backup.example/in", new_token=NEW_TOKEN)
    client.force_login(secadmin)
    page = client.get(CONFIRM).content.decode()
    assert "https://platform.example/upload" in page and "https://backup.example/in" in page
    assert "已更改（不显示）" in page and NEW_TOKEN not in page and OLD_TOKEN not in page
    version = pending_version(DeliverySettings.objects.get())
    response = client.post(CONFIRM, {"version": version, "decision": "confirm"}, follow=True)
    assert "已确认，变更生效。" in response.content.decode()
    row = DeliverySettings.objects.get()
    assert (row.http_url, row.http_token, row.confirmed_by) == ("https://backup.example/in", NEW_TOKEN, secadmin)
    assert not row.has_pending_change
    event = AuditEvent.objects.get(object_type="reporting.deliverysettings", action="approve", username="secadmin")
    assert event.detail["changes"]["http_url"] == {
        "old": "https://platform.example/upload",
        "new": "https://backup.example/in",
    }
    assert event.detail["changes"]["http_token"] == {"old": "", "new": "changed"}
    assert event.detail["proposed_by"] == sysadmin.username
    sent = _stub_platform(monkeypatch)
    _deliver_one(make_records)
    assert sent == [{"url": "https://backup.example/in", "authorization": f"Bearer {NEW_TOKEN}"}]


def test_proposer_cannot_confirm_own_endpoint_change(client, sysadmin, confirmed):
    delivery_settings_update(user=sysadmin, transport="http", http_url="https://backup.example/in", new_token=NEW_TOKEN)
    # As system admin, no confirmation at all.
    client.force_login(sysadmin)
    assert client.post(CONFIRM, {"decision": "confirm"}).status_code == 403
    with pytest.raises(PermissionDenied):
        delivery_settings_confirm(user=sysadmin)
    # The same person with the security admin's role later (another security admin changed the account's role).
    sysadmin.role = Role.SECADMIN
    sysadmin.save()
    page = client.get(CONFIRM).content.decode()
    assert "提出变更的人不能确认自己的变更" in page and 'value="confirm"' not in page
    version = pending_version(DeliverySettings.objects.get())
    response = client.post(CONFIRM, {"version": version, "decision": "confirm"}, follow=True)
    assert "提出变更的人不能确认自己的变更" in response.content.decode()
    with pytest.raises(ForbiddenError):
        delivery_settings_confirm(user=sysadmin)
    assert DeliverySettings.objects.get().http_url == "https://platform.example/upload"


def test_confirmation_of_a_proposal_changed_since_it_was_shown_is_refused(secadmin, sysadmin, confirmed):
    delivery_settings_update(user=sysadmin, transport="http", http_url="https://backup.example/in", new_token="t-1")
    seen = pending_version(DeliverySettings.objects.get())
    delivery_settings_update(user=sysadmin, transport="http", http_url="https://backup.example/other", new_token="t-2")
    with pytest.raises(StateError):
        delivery_settings_confirm(user=secadmin, version=seen)
    assert DeliverySettings.objects.get().http_url == "https://platform.example/upload"


def test_rejected_change_never_applies(client, secadmin, sysadmin, confirmed):
    delivery_settings_update(user=sysadmin, transport="http", http_url="https://backup.example/in", new_token=NEW_TOKEN)
    client.force_login(secadmin)
    version = pending_version(DeliverySettings.objects.get())
    response = client.post(CONFIRM, {"version": version, "decision": "reject"}, follow=True)
    assert "已驳回该变更。" in response.content.decode()
    row = DeliverySettings.objects.get()
    assert (row.http_url, row.http_token, row.has_pending_change) == (
        "https://platform.example/upload",
        OLD_TOKEN,
        False,
    )
    assert AuditEvent.objects.filter(object_type="reporting.deliverysettings", action="reject").exists()
    with pytest.raises(StateError):
        delivery_settings_reject(user=secadmin)


def test_timeout_and_retries_apply_without_confirmation(sysadmin, confirmed):
    delivery_settings_update(
        user=sysadmin, transport="http", http_url="https://platform.example/upload", http_timeout=9, max_retries=1
    )
    row = DeliverySettings.objects.get()
    assert (row.http_timeout, row.max_retries, row.has_pending_change) == (9, 1, False)


def test_delivery_error_hides_internal_address(make_records, sysadmin, confirmed, monkeypatch):
    monkeypatch.setattr(
        socket, "getaddrinfo", lambda host, port, *a, **k: [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (PUBLIC, port))]
    )

    def create_connection(address, *args, **kwargs):
        raise ConnectionRefusedError(f"[Errno 111] Connection refused to {PUBLIC}:443 via 10.0.0.5:6379")

    monkeypatch.setattr("urllib3.util.connection.create_connection", create_connection)
    make_records(8, 1)
    batch = batch_create(item=Item.objects.get(no=8), kind=BatchKind.INCREMENTAL)
    with pytest.raises(TransportError):
        batch_deliver(batch_id=batch.pk)
    outcome = ExportBatch.objects.get(pk=batch.pk).outcome
    assert outcome == "连接报送平台 platform.example 失败，详情见服务器日志。"
    for leaked in (PUBLIC, ":443", "10.0.0.5", "6379", "Errno", "refused"):
        assert leaked not in outcome


def test_drop_folder_error_names_the_folder_not_the_exception(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")

    class Batch:
        pk, sha256, item_id, folder = 3, "cd" * 32, None, "corrections"

    with pytest.raises(TransportError) as caught:
        DropFolderTransport(directory=blocker / "sub").deliver(Batch(), str(blocker))
    message = str(caught.value)
    assert message.startswith(f"写入投递目录 {blocker / 'sub'} 失败") and "Errno" not in message
