"""The audit log: what is recorded, that it cannot be changed, how long it is kept."""

import datetime

import pytest
from django.test import override_settings
from django.utils import timezone

from audit.models import AuditEvent, AuditLogImmutable
from audit.services import audit_log, audit_purge, client_ip
from tests.factories import PASSWORD, create_record

pytestmark = pytest.mark.django_db


def events(action: str):
    return AuditEvent.objects.filter(action=action).order_by("id")


def test_audit_log_records_who_what_where_and_outcome(rf, clerk):
    request = rf.get("/workspace/", REMOTE_ADDR="10.1.2.3", HTTP_USER_AGENT="pytest")
    request.user = clerk
    event = audit_log(request=request, action="export", obj=clerk, detail={"rows": 3, "password": "x"})
    event.refresh_from_db()
    assert (event.username, event.role, event.ip, event.action, event.outcome) == (
        clerk.username,
        "clerk",
        "10.1.2.3",
        "export",
        "success",
    )
    assert (event.object_type, event.object_id, event.object_repr) == ("accounts.user", str(clerk.pk), str(clerk))
    assert event.detail == {"rows": 3, "password": "***"}
    assert (event.method, event.path, event.user_agent) == ("GET", "/workspace/", "pytest")


def test_unknown_action_or_outcome_is_a_programming_error(clerk):
    with pytest.raises(ValueError):
        audit_log(user=clerk, action="frobnicate")
    with pytest.raises(ValueError):
        audit_log(user=clerk, action="login", outcome="maybe")


def test_forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy(rf):
    spoofed = rf.get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="1.1.1.1")
    assert client_ip(spoofed) == "203.0.113.9"
    proxied = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.1.1.1, 198.51.100.7")
    with override_settings(AUDIT_TRUSTED_PROXIES=["10.0.0.0/8"]):
        assert client_ip(proxied) == "198.51.100.7"
    assert client_ip(proxied) == "10.0.0.2"


# --- sign-in events --------------------------------------------------------------------------------------------------


def test_login_logout_and_failed_login_are_logged(client, clerk):
    response = client.post(
        "/accounts/login/", {"username": clerk.username, "password": "wrong"}, REMOTE_ADDR="10.9.9.9"
    )
    assert response.status_code == 200
    failed = events("login_failed").get()
    assert (failed.username, failed.outcome, failed.ip) == (clerk.username, "failure", "10.9.9.9")
    assert failed.detail["known_account"] is True

    client.post("/accounts/login/", {"username": clerk.username, "password": PASSWORD})
    assert events("login").get().user == clerk
    client.post("/accounts/logout/")
    assert events("logout").get().user == clerk


def test_failed_login_for_an_unknown_account_is_logged_with_the_attempted_name(client):
    client.post("/accounts/login/", {"username": "nobody", "password": "x"})
    event = events("login_failed").get()
    assert event.user is None and event.detail == {"username": "nobody", "known_account": False}


# --- record changes, without any call from the credit app ------------------------------------------------------------


def test_record_create_change_and_transitions_are_logged(clerk, reviewer):
    record = create_record(8, clerk, status="approved", reviewer=reviewer)
    log = AuditEvent.objects.filter(object_id=str(record.pk), object_type=record._meta.label_lower).order_by("id")
    actions = [(e.action, e.username, e.detail.get("from"), e.detail.get("to")) for e in log]
    assert actions[0] == ("create", clerk.username, None, None)
    assert ("transition", clerk.username, "draft", "submitted") in actions
    assert ("transition", reviewer.username, "submitted", "approved") in actions


def test_a_record_edit_logs_the_changed_field_names_not_their_values(clerk):
    from credit.services.records import record_update

    record = create_record(8, clerk)
    record_update(record=record, user=clerk, data={"penalty_authority": "南昌市教育局（更正）"})
    change = AuditEvent.objects.filter(action="change", object_id=str(record.pk)).get()
    assert "penalty_authority" in change.detail["changed_fields"]
    assert "南昌市教育局（更正）" not in str(change.detail)


# --- append-only -----------------------------------------------------------------------------------------------------


def test_an_event_cannot_be_changed_or_deleted_through_the_orm(clerk):
    event = audit_log(user=clerk, action="login")
    event.outcome = "failure"
    with pytest.raises(AuditLogImmutable):
        event.save()
    with pytest.raises(AuditLogImmutable):
        event.delete()
    with pytest.raises(AuditLogImmutable):
        AuditEvent.objects.filter(pk=event.pk).update(outcome="failure")
    with pytest.raises(AuditLogImmutable):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).outcome == "success"


# --- retention -------------------------------------------------------------------------------------------------------


def _event_at(user, days_ago: int) -> AuditEvent:
    return (
        audit_log(user=user, action="login")
        if days_ago == 0
        else AuditEvent.objects.create(
            user=user, username=user.username, action="login", at=timezone.now() - datetime.timedelta(days=days_ago)
        )
    )


def test_purge_deletes_only_events_older_than_180_days_and_logs_itself(clerk):
    old = _event_at(clerk, 181)
    kept = [_event_at(clerk, 179), _event_at(clerk, 0)]
    assert audit_purge() == 1
    assert not AuditEvent.objects.filter(pk=old.pk).exists()
    assert all(AuditEvent.objects.filter(pk=e.pk).exists() for e in kept)
    assert events("purge").get().detail["deleted"] == 1


def test_purge_refuses_a_retention_shorter_than_180_days(clerk):
    _event_at(clerk, 100)
    with pytest.raises(ValueError):
        audit_purge(older_than_days=90)
    assert AuditEvent.objects.count() == 1


def test_purge_command(clerk):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    _event_at(clerk, 200)
    call_command("audit_purge")
    assert not AuditEvent.objects.filter(action="login").exists()
    with pytest.raises(CommandError):
        call_command("audit_purge", "--days", "30")
