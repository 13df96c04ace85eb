"""Review findings on the system admin's 报送设置: the environment token never goes to an admin-set address, addresses
are https only, tokens are printable ASCII that fit the encrypted column, and a first save keeps what is in force."""

import tempfile

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from credit import crypto
from reporting.models import DeliverySettings
from reporting.services.delivery import delivery_settings_update
from reporting.transports import HttpTransport, delivery_config

pytestmark = pytest.mark.django_db

ADD = reverse("admin:reporting_deliverysettings_add")
ENV_TOKEN = "env-secret-0c1d2e3f"
ADMIN_TOKEN = "admin-tok-12ab"


@pytest.fixture
def http_env(settings):
    settings.REPORTING_TRANSPORT = "http"
    settings.REPORTING_HTTP_URL = "https://platform.env.example/upload"
    settings.REPORTING_HTTP_TOKEN = ENV_TOKEN
    settings.REPORTING_HTTP_TIMEOUT = 17
    settings.REPORTING_DELIVERY_RETRIES = 3
    return settings


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


# 1. The environment token is never paired with an address set in the admin; addresses are https only.


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

    def fake_post(url, headers, **kwargs):
        sent.update(url=url, headers=headers)
        return Response()

    monkeypatch.setattr("reporting.transports.requests.post", fake_post)

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
    assert DeliverySettings.objects.get().http_token == ADMIN_TOKEN
    # Clearing the token while keeping the address is refused too; the saved token stays.
    page = client.post(
        _change_url(), _form(transport="http", http_url="https://collector.example/x", clear_token="on")
    ).content.decode()
    assert "须同时在此设置“接口令牌”" in page and DeliverySettings.objects.get().http_token == ADMIN_TOKEN


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


# 2. Tokens: printable ASCII without spaces, at most 500 characters, and the ciphertext of the longest fits the column.


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
    assert DeliverySettings.objects.get().http_token == longest
    page = client.post(_change_url(), _form(new_token="~" * 501)).content.decode()
    assert "接口令牌" in page and DeliverySettings.objects.get().http_token == longest


# 3. The first save starts from what is in force, not from the model's defaults.


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
