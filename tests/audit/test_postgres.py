"""On PostgreSQL the database itself refuses to change or delete audit events (django-pgtrigger)."""

import datetime

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import audit_log, audit_purge

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _raw(sql: str, params=()) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_an_update_on_the_audit_table_is_refused_by_the_database(clerk):
    event = audit_log(user=clerk, action="login")
    with pytest.raises(DatabaseError):
        _raw("UPDATE audit_auditevent SET outcome = 'failure' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).outcome == "success"


def test_a_delete_on_the_audit_table_is_refused_by_the_database(clerk):
    event = audit_log(user=clerk, action="login")
    with pytest.raises(DatabaseError):
        _raw("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    with pytest.raises(DatabaseError):
        _raw("DELETE FROM audit_auditevent")
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_purge_lifts_the_trigger_for_itself_only(clerk):
    old = AuditEvent.objects.create(
        user=clerk, username=clerk.username, action="login", at=timezone.now() - datetime.timedelta(days=200)
    )
    recent = audit_log(user=clerk, action="login")
    assert audit_purge() == 1
    assert not AuditEvent.objects.filter(pk=old.pk).exists()
    with pytest.raises(DatabaseError):  # the trigger is back
        _raw("DELETE FROM audit_auditevent WHERE id = %s", [recent.pk])


def test_deleting_a_user_leaves_the_trail_intact():
    from tests.factories import UserFactory

    leaver = UserFactory(username="leaver")
    event = audit_log(user=leaver, action="login")
    leaver.delete()  # no cascade into, and no UPDATE of, the audit table
    assert AuditEvent.objects.get(pk=event.pk).username == "leaver"
