"""The system admin's delivery settings (报送设置): admin-only, token write-only and encrypted, read by the transports,
environment settings when no row exists."""

import pytest
from django.db import connection
from django.urls import reverse

from audit.models import AuditEvent
from credit.models import Item
from reporting import tasks
from reporting.models import BatchKind, BatchStatus, DeliverySettings, ExportBatch
from reporting.services.batches import batch_create
from reporting.transports import DropFolderTransport, HttpTransport, delivery_config, get_transport

pytestmark = pytest.mark.django_db

ADD = reverse("admin:reporting_deliverysettings_add")
SECRET = "tok-9f8e7d6c5b4a"


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
    row = DeliverySettings.objects.get()
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
    assert DeliverySettings.objects.get().http_token == SECRET
    client.post(_change_url(), _form(clear_token="on"))
    assert DeliverySettings.objects.get().http_token == ""
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
    from reporting.services.delivery import delivery_settings_update

    folder = tmp_path / "exchange"
    delivery_settings_update(user=sysadmin, transport="dropfolder", drop_dir=str(folder), max_retries=1)
    assert isinstance(get_transport(), DropFolderTransport)
    make_records(1, 1)
    tasks.deliver_incremental(item_no=1)
    batch = ExportBatch.objects.get()
    assert batch.status == BatchStatus.DELIVERED
    assert [f.name for f in folder.iterdir()] == [batch.receipt]

    delivery_settings_update(
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
