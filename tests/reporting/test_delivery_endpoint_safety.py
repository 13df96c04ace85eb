"""Where a batch (full ID numbers) may be sent: an https host the operators allowed, resolving only to public
addresses, connected to at the address that was checked, never following a redirect; failures name no address.
No network: name resolution and connections are stubbed."""

import socket
import tempfile

import pytest
import requests
from django.urls import reverse

from reporting.models import DeliverySettings
from reporting.transports import HttpTransport, TransportError, delivery_config
from tests.reporting.delivery_confirmation import confirm_pending

pytestmark = pytest.mark.django_db

ADD = reverse("admin:reporting_deliverysettings_add")
PUBLIC = "93.184.216.34"


class Batch:
    pk, sha256, item_id, folder, kind, format, row_count = 7, "ab" * 32, None, "corrections", "full", "x", 0


@pytest.fixture
def env(settings):
    settings.REPORTING_TRANSPORT = "http"
    settings.REPORTING_HTTP_URL = "https://platform.env.example/upload"
    settings.REPORTING_HTTP_TOKEN = "env-token"
    settings.REPORTING_DELIVERY_ALLOWED_HOSTS = ["platform.example"]
    settings.REPORTING_DELIVERY_TEST_LOOPBACK = False
    return settings


def _resolves_to(monkeypatch, *addresses):
    """Stub DNS: each call answers the next address (the last one repeats)."""
    answers = list(addresses)
    calls = []

    def getaddrinfo(host, port, *args, **kwargs):
        calls.append(host)
        address = answers.pop(0) if len(answers) > 1 else answers[0]
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        sockaddr = (address, port, 0, 0) if family == socket.AF_INET6 else (address, port)
        return [(family, socket.SOCK_STREAM, 6, "", sockaddr)]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return calls


def _deliver(url):
    DeliverySettings.objects.create(pk=1, transport="http", http_url=url, http_token="admin-token")
    with tempfile.NamedTemporaryFile() as fh:
        return HttpTransport(config=delivery_config()).deliver(Batch(), fh.name)


def _form(**overrides):
    return {
        "transport": "http",
        "drop_dir": "",
        "new_token": "t0k",
        "http_timeout": "30",
        "max_retries": "2",
    } | overrides


def test_admin_form_refuses_a_host_outside_the_allow_list(client, sysadmin, env):
    client.force_login(sysadmin)
    page = client.post(ADD, _form(http_url="https://attacker.example/steal")).content.decode()
    assert "“接口地址”的主机不在允许的报送平台之列" in page
    assert not DeliverySettings.objects.exists()

    client.post(ADD, _form(http_url="https://platform.example/upload"))
    assert confirm_pending().http_url == "https://platform.example/upload"


def test_admin_form_accepts_the_environment_host_without_an_allow_list(client, sysadmin, env):
    env.REPORTING_DELIVERY_ALLOWED_HOSTS = []
    client.force_login(sysadmin)
    client.post(ADD, _form(http_url="https://platform.env.example/other"))
    assert confirm_pending().http_url == "https://platform.env.example/other"


def test_admin_form_refuses_http(client, sysadmin, env):
    client.force_login(sysadmin)
    page = client.post(ADD, _form(http_url="http://platform.example/upload")).content.decode()
    assert "“接口地址”须为以 https:// 开头的有效地址。" in page
    assert not DeliverySettings.objects.exists()


def test_a_saved_address_outside_the_allow_list_is_refused_at_delivery(env, monkeypatch):
    calls = _resolves_to(monkeypatch, PUBLIC)
    with pytest.raises(TransportError, match="未通过安全检查"):
        _deliver("https://attacker.example/steal")
    assert calls == []  # refused before even resolving


def test_an_http_environment_address_is_refused_at_delivery(env, monkeypatch):
    env.REPORTING_HTTP_URL = "http://platform.env.example/upload"
    _resolves_to(monkeypatch, PUBLIC)
    with tempfile.NamedTemporaryFile() as fh, pytest.raises(TransportError, match="未通过安全检查"):
        HttpTransport(config=delivery_config()).deliver(Batch(), fh.name)


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "192.168.1.5",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "::1",
        "fe80::1",
        "fd00::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "224.0.0.1",
    ],
)
def test_a_host_resolving_to_a_non_public_address_is_refused_at_delivery(env, monkeypatch, address):
    _resolves_to(monkeypatch, address)
    connected = []
    monkeypatch.setattr("urllib3.util.connection.create_connection", lambda *a, **k: connected.append(a))
    with pytest.raises(TransportError) as caught:
        _deliver("https://platform.example/upload")
    assert connected == []
    assert address not in str(caught.value) and "platform.example" not in str(caught.value)


def test_a_redirect_is_not_followed_and_fails_the_delivery(env, monkeypatch):
    _resolves_to(monkeypatch, PUBLIC)
    sent = []

    def send(adapter, request, **kwargs):
        sent.append(request.url)
        response = requests.Response()
        response.status_code = 307
        response.headers["Location"] = "http://127.0.0.1:8102/healthz"
        response.url, response.request = request.url, request
        response._content = b"internal"
        return response

    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", send)
    with pytest.raises(TransportError, match="307") as caught:
        _deliver("https://platform.example/upload")
    assert sent == ["https://platform.example/upload"]
    assert "127.0.0.1" not in str(caught.value) and "internal" not in str(caught.value)


def test_the_connection_goes_to_the_checked_address_even_if_dns_changes(env, monkeypatch):
    # DNS rebinding: public when checked, loopback a moment later.
    _resolves_to(monkeypatch, PUBLIC, "127.0.0.1")
    connected = []

    def create_connection(address, *args, **kwargs):
        connected.append(address)
        raise ConnectionRefusedError("[Errno 111] Connection refused to 10.0.0.5:6379")

    monkeypatch.setattr("urllib3.util.connection.create_connection", create_connection)
    with pytest.raises(TransportError) as caught:
        _deliver("https://platform.example/upload")
    assert connected == [(PUBLIC, 443)]
    assert str(caught.value) == "连接报送平台 platform.example 失败，详情见服务器日志。"


def test_tls_and_the_host_header_still_name_the_host_on_the_pinned_connection(env, monkeypatch):
    _resolves_to(monkeypatch, PUBLIC)
    seen = {}
    original_send = requests.adapters.HTTPAdapter.send

    def send(adapter, request, **kwargs):
        seen["host_header"] = request.headers.get("Host")
        return original_send(adapter, request, **kwargs)

    def wrap(sock, **kwargs):
        seen["server_hostname"] = kwargs["server_hostname"]
        raise OSError("handshake stopped by the test")

    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", send)
    monkeypatch.setattr("urllib3.util.connection.create_connection", lambda address, *a, **k: socket.socket())
    monkeypatch.setattr("urllib3.connection._ssl_wrap_socket_and_match_hostname", wrap)
    with pytest.raises(TransportError):
        _deliver("https://platform.example:8443/upload")
    assert seen == {"host_header": "platform.example:8443", "server_hostname": "platform.example"}
