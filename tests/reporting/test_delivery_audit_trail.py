"""The audit log says where batches go: a change of the 报送设置 records old and new values (never the token), and
every delivery attempt records its destination (host, port and the address connected to, or the folder)."""

import pytest

from audit.models import AuditEvent
from credit.models import Item
from reporting.models import BatchKind, BatchStatus, ExportBatch
from reporting.services.batches import batch_create, batch_deliver
from reporting.services.delivery import delivery_settings_update
from reporting.transports import TransportError
from tests.reporting.delivery_confirmation import update_and_confirm

pytestmark = pytest.mark.django_db


def _delivery_events(batch):
    return AuditEvent.objects.filter(
        object_type="reporting.exportbatch", object_id=str(batch.pk), detail__step="delivery"
    )


def test_a_settings_change_records_the_old_and_new_address_but_not_the_token(sysadmin, settings):
    settings.REPORTING_DELIVERY_ALLOWED_HOSTS = ["platform.example", "backup.example"]
    update_and_confirm(
        user=sysadmin, transport="http", http_url="https://platform.example/upload", new_token="tok-first-1"
    )
    delivery_settings_update(
        user=sysadmin, transport="http", http_url="https://user:pw@backup.example/in?key=abc", new_token="tok-second-2"
    )
    event = AuditEvent.objects.filter(object_type="reporting.deliverysettings", action="change").get()
    assert event.detail["status"] == "pending_confirmation" and event.detail["token_action"] == "replaced"
    assert event.detail["changes"]["http_url"] == {
        "old": "https://platform.example/upload",
        "new": "https://backup.example/in",  # user info and query may hold secrets
    }
    logged = str(list(AuditEvent.objects.values_list("detail", flat=True)))
    assert "tok-first-1" not in logged and "tok-second-2" not in logged and "pw" not in logged


def test_an_http_delivery_records_the_host_and_the_address_connected_to(make_records, settings, platform):
    settings.REPORTING_TRANSPORT = "http"
    settings.REPORTING_HTTP_URL = f"http://127.0.0.1:{platform.server_port}/upload"
    settings.REPORTING_HTTP_TOKEN = "s3cret"
    make_records(8, 1)
    batch = batch_create(item=Item.objects.get(no=8), kind=BatchKind.INCREMENTAL)
    assert batch_deliver(batch_id=batch.pk).status == BatchStatus.DELIVERED
    event = _delivery_events(batch).get()
    assert event.outcome == "success"
    delivery = event.detail["delivery"]
    assert delivery == {
        "transport": "http",
        "host": "127.0.0.1",
        "port": platform.server_port,
        "address": "127.0.0.1",
        "status": 200,
    }


def test_a_refused_delivery_is_recorded_as_failed_with_its_host(make_records, settings, monkeypatch):
    settings.REPORTING_TRANSPORT = "http"
    settings.REPORTING_HTTP_URL = "https://platform.env.example/upload"
    monkeypatch.setattr("socket.getaddrinfo", lambda host, port, *a, **k: [(2, 1, 6, "", ("10.0.0.8", port))])
    make_records(8, 1)
    batch = batch_create(item=Item.objects.get(no=8), kind=BatchKind.INCREMENTAL)
    with pytest.raises(TransportError):
        batch_deliver(batch_id=batch.pk)
    event = _delivery_events(batch).get()
    assert event.outcome == "failure"
    assert event.detail["delivery"] == {
        "transport": "http",
        "host": "platform.env.example",
        "refused": "address",
        "addresses": ["10.0.0.8"],
    }
    assert "10.0.0.8" not in ExportBatch.objects.get(pk=batch.pk).outcome


def test_a_drop_folder_delivery_records_the_folder(make_records, settings, tmp_path):
    settings.REPORTING_TRANSPORT = "dropfolder"
    settings.REPORTING_DROP_DIR = tmp_path
    make_records(8, 1)
    batch = batch_create(item=Item.objects.get(no=8), kind=BatchKind.INCREMENTAL)
    batch_deliver(batch_id=batch.pk)
    assert _delivery_events(batch).get().detail["delivery"] == {"transport": "dropfolder", "folder": str(tmp_path)}
