"""The system admin's delivery settings (报送设置): admin-only, token write-only and encrypted, read by the transports,
environment settings when no row exists. The environment token never goes to an address set in the admin, addresses
are https only, tokens are printable ASCII that fit the encrypted column, and a first save keeps what is in force."""

import tempfile

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from audit.models import AuditEvent
from credit import crypto
from credit.models import Item
from reporting import tasks
from reporting.models import BatchKind, BatchStatus, DeliverySettings, ExportBatch
from reporting.services.batches import batch_create
from reporting.services.delivery import delivery_settings_update
from reporting.transports import DropFolderTransport, HttpTransport, delivery_config, get_transport
from tests.reporting.delivery_confirmation import confirm_pending, update_and_confirm

pytestmark = pytest.mark.django_db

ADD = reverse("admin:reporting_deliverysettings_add")
SECRET = "tok-9f8e7d6c5b4a"
ENV_TOKEN = "env-secret-0c1d2e3f"
ADMIN_TOKEN = "admin-tok-12ab"


def _form(**overrides):
    return {
        "transport": "dropfolder",
        "drop_dir": "",
        "http_url": "",
        "new_token": "",
        "http_timeout": "30",
        "max_retries": "2",
        **overrides,
    }


def _change_url():
    return reverse("admin:reporting_deliverysettings_change", args=[DeliverySettings.objects.get().pk])


@pytest.fixture(autouse=True)
def allowed_hosts(settings):
    """The operators allow the hosts these tests send to (the address checks themselves: test_delivery_endpoint_safety)."""
    settings.REPORTING_DELIVERY_ALLOWED_HOSTS = ["platform.example", "collector.example", "127.0.0.1"]


@pytest.fixture
def http_env(settings):
    settings.REPORTING_TRANSPORT = "http"
    settings.REPORTING_HTTP_URL = "https://platform.env.example/upload"
    settings.REPORTING_HTTP_TOKEN = ENV_TOKEN
    settings.REPORTING_HTTP_TIMEOUT = 17
    settings.REPORTING_DELIVERY_RETRIES = 3
    return settings


def test_without_a_row_the_environment_settings_apply(settings, tmp_path):
    settings.REPORTING_TRANSPORT = "dropfolder"
    config = delivery_config()
    assert config.source == "environment" and config.drop_dir == settings.REPORTING_DROP_DIR
    assert config.retries == settings.REPORTING_DELIVERY_RETRIES


def test_sysadmin_saves_settings_token_encrypted_and_never_shown(client, sysadmin, tmp_path):
    client.force_login(sysadmin)
    assert client.get(ADD).status_code == 200
    folder = tmp_path / "exchange"
    response = client.post(
        ADD,
        _form(transport="http", http_url="https://platform.example/upload", new_token=SECRET, drop_dir=str(folder)),
        follow=True,
    )
    assert response.status_code == 200
    row = confirm_pending()
    assert (row.transport, row.http_url, row.http_token, row.max_retries) == (
        "http",
        "https://platform.example/upload",
        SECRET,
        2,
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT http_token FROM reporting_deliverysettings")
        stored = cursor.fetchone()[0]
    assert SECRET not in stored
    page = client.get(_change_url()).content.decode()
    assert SECRET not in page and "已设置（加密保存，不显示）" in page
    events = AuditEvent.objects.filter(object_type="reporting.deliverysettings")
    assert events.filter(detail__token_action="replaced", user=sysadmin).exists()
    assert not any(SECRET in str(e.detail) for e in AuditEvent.objects.all())

    # Saving again with the token field empty keeps it; clearing removes it.
    client.post(_change_url(), _form(transport="http", http_url="https://platform.example/upload"))
    assert confirm_pending().http_token == SECRET
    client.post(_change_url(), _form(clear_token="on"))
    assert confirm_pending().http_token == ""
    assert client.get(ADD).status_code == 403  # one row only


def test_bad_settings_are_refused_in_chinese_naming_the_field(client, sysadmin, settings):
    settings.REPORTING_HTTP_URL = ""
    client.force_login(sysadmin)
    page = client.post(ADD, _form(transport="http")).content.decode()
    assert "接口地址" in page and "须填写" in page
    page = client.post(ADD, _form(drop_dir="relative/dir")).content.decode()
    assert "绝对路径" in page
    assert not DeliverySettings.objects.exists()


@pytest.mark.parametrize("role", ["secadmin", "auditor", "reviewer", "clerk"])
def test_only_the_system_admin_may_see_or_change_them(client, role, request):
    client.force_login(request.getfixturevalue(role))
    assert client.get(ADD).status_code in (302, 403, 404)
    assert client.post(ADD, _form()).status_code in (302, 403, 404)
    assert not DeliverySettings.objects.exists()


def test_transports_and_retries_follow_the_saved_settings(make_records, sysadmin, tmp_path, monkeypatch):
    folder = tmp_path / "exchange"
    update_and_confirm(user=sysadmin, transport="dropfolder", drop_dir=str(folder), max_retries=1)
    assert isinstance(get_transport(), DropFolderTransport)
    make_records(1, 1)
    tasks.deliver_incremental(item_no=1)
    batch = ExportBatch.objects.get()
    assert batch.status == BatchStatus.DELIVERED
    assert [f.name for f in folder.iterdir()] == [batch.receipt]

    update_and_confirm(
        user=sysadmin, transport="http", http_url="https://127.0.0.1:9/upload", new_token=SECRET, max_retries=1
    )
    transport = get_transport()
    assert isinstance(transport, HttpTransport) and transport.token == SECRET and transport.url.endswith(":9/upload")

    class Failing:
        name = "failing"

        def deliver(self, batch, path):
            from reporting.transports import TransportError

            raise TransportError("平台维护中")

    monkeypatch.setattr("reporting.services.batches.get_transport", lambda: Failing())
    monkeypatch.setitem(tasks.deliver_batch.app.conf, "task_eager_propagates", False)
    make_records(2, 1)
    batch_create(item=Item.objects.get(no=2), kind=BatchKind.FULL)
    tasks.deliver_incremental(item_no=2)
    failed = ExportBatch.objects.get(item__no=2)
    assert failed.status == BatchStatus.FAILED and failed.attempts == 2  # one try plus the one configured retry


# The environment token is never paired with an address set in the admin; addresses are https only.


def test_an_admin_url_without_an_admin_token_never_gets_the_environment_token(http_env, monkeypatch):
    # A row saved before the form refused this (or with the drop folder chosen, then switched): URL, no token.
    DeliverySettings.objects.create(pk=1, transport="http", http_url="https://collector.example/x")
    config = delivery_config()
    assert config.http_url == "https://collector.example/x" and config.http_token == ""

    sent = {}

    class Response:
        status_code = 200
        text = "{}"

        def json(self):
            return {"receipt": "R1"}

    def fake_post(session, url, headers, **kwargs):
        sent.update(url=url, headers=headers)
        return Response()

    monkeypatch.setattr("reporting.transports.requests.Session.post", fake_post)
    monkeypatch.setattr("socket.getaddrinfo", lambda *a, **k: [(2, 1, 6, "", ("93.184.216.34", 443))])

    class Batch:
        pk, sha256, item_id, folder, kind, format, row_count = 7, "ab" * 32, None, "corrections", "full", "x", 0

    with tempfile.NamedTemporaryFile() as fh:
        HttpTransport(config=config).deliver(Batch(), fh.name)
    assert sent["url"] == "https://collector.example/x"
    assert "Authorization" not in sent["headers"]
    assert ENV_TOKEN not in str(sent)


def test_without_an_admin_url_the_environment_pair_still_applies(http_env):
    DeliverySettings.objects.create(pk=1, transport="http", max_retries=4)
    config = delivery_config()
    assert (config.http_url, config.http_token, config.retries) == ("https://platform.env.example/upload", ENV_TOKEN, 4)


def test_form_refuses_http_with_an_admin_url_but_no_admin_token(client, sysadmin, http_env):
    client.force_login(sysadmin)
    page = client.post(ADD, _form(transport="http", http_url="https://collector.example/x")).content.decode()
    assert "须同时在此设置“接口令牌”" in page
    assert not DeliverySettings.objects.exists()

    client.post(ADD, _form(transport="http", http_url="https://collector.example/x", new_token=ADMIN_TOKEN))
    assert confirm_pending().http_token == ADMIN_TOKEN
    # Clearing the token while keeping the address is refused too; the saved token stays.
    page = client.post(
        _change_url(), _form(transport="http", http_url="https://collector.example/x", clear_token="on")
    ).content.decode()
    assert "须同时在此设置“接口令牌”" in page and confirm_pending().http_token == ADMIN_TOKEN


def test_service_refuses_http_with_an_admin_url_but_no_admin_token(sysadmin, http_env):
    with pytest.raises(ValidationError) as exc:
        delivery_settings_update(user=sysadmin, transport="http", http_url="https://collector.example/x")
    assert "http_token" in exc.value.message_dict
    assert not DeliverySettings.objects.exists()


@pytest.mark.parametrize("url", ["http://collector.example/x", "ftp://collector.example/x"])
def test_admin_url_must_be_https(client, sysadmin, sysadmin_url_env, url):
    client.force_login(sysadmin)
    page = client.post(ADD, _form(transport="http", http_url=url, new_token=ADMIN_TOKEN)).content.decode()
    assert "“接口地址”须为以 https:// 开头的有效地址。" in page
    assert not DeliverySettings.objects.exists()
    with pytest.raises(ValidationError) as exc:
        delivery_settings_update(user=sysadmin, transport="http", http_url=url, new_token=ADMIN_TOKEN)
    assert "http_url" in exc.value.message_dict
    assert not DeliverySettings.objects.exists()


@pytest.fixture
def sysadmin_url_env(settings):
    settings.REPORTING_HTTP_URL = ""
    return settings


# Tokens: printable ASCII without spaces, at most 500 characters, and the ciphertext of the longest fits the column.


@pytest.mark.parametrize("token", ["令" * 300, "has space", "tab\tinside", "é-accent"])
def test_non_ascii_or_spaced_tokens_are_refused_in_chinese(client, sysadmin, token):
    client.force_login(sysadmin)
    response = client.post(ADD, _form(transport="http", http_url="https://collector.example/x", new_token=token))
    assert response.status_code == 200
    page = response.content.decode()
    assert "“接口令牌”只能包含可打印的 ASCII 字符" in page
    assert not DeliverySettings.objects.exists()
    with pytest.raises(ValidationError):
        delivery_settings_update(
            user=sysadmin, transport="http", http_url="https://collector.example/x", new_token=token
        )
    assert not DeliverySettings.objects.exists()


def test_the_longest_allowed_token_fits_the_encrypted_column(client, sysadmin):
    longest = "~" * 500
    assert len(crypto.encrypt(longest)) <= DeliverySettings._meta.get_field("http_token").max_length
    client.force_login(sysadmin)
    client.post(ADD, _form(transport="http", http_url="https://collector.example/x", new_token=longest))
    assert confirm_pending().http_token == longest
    page = client.post(_change_url(), _form(new_token="~" * 501)).content.decode()
    assert "接口令牌" in page and confirm_pending().http_token == longest


# The first save starts from what is in force, not from the model's defaults.


def _unchanged_post_data(response) -> dict[str, str]:
    form = response.context["adminform"].form
    data = {}
    for name in ("transport", "drop_dir", "http_url", "new_token", "http_timeout", "max_retries"):
        value = form[name].value()
        data[name] = "" if value is None else str(value)
    return data


def test_saving_the_add_form_unchanged_keeps_the_delivery_in_force(client, sysadmin, http_env):
    before = delivery_config()
    client.force_login(sysadmin)
    response = client.get(ADD)
    assert response.status_code == 200
    page = response.content.decode()
    assert "https://platform.env.example/upload" in page  # shown (placeholder), not saved into the row
    data = _unchanged_post_data(response)
    assert data["drop_dir"] == "" and data["http_url"] == ""
    response = client.post(ADD, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    after = delivery_config()
    assert after.source == "admin"
    assert (after.transport, after.http_timeout, after.retries) == (before.transport, 17, 3)
    assert (after.http_url, after.http_token, after.drop_dir) == (before.http_url, ENV_TOKEN, before.drop_dir)


def test_changing_only_the_retries_on_first_save_keeps_http(client, sysadmin, http_env):
    client.force_login(sysadmin)
    data = _unchanged_post_data(client.get(ADD))
    client.post(ADD, {**data, "max_retries": "8"})
    config = delivery_config()
    assert (config.transport, config.retries, config.http_timeout) == ("http", 8, 17)
