"""What credit announces (``credit.signals``): ``record_approved`` once the approval has committed, never for an
approval that rolled back; ``record_changed`` inside the saving transaction, which keeps the public column in step."""

import pytest
from django.db import transaction

from credit.models import RecordStatus
from credit.services import records as services
from credit.signals import record_approved, record_changed

pytestmark = pytest.mark.django_db


@pytest.fixture
def approvals():
    seen = []

    def receiver(sender, record, user, **kwargs):
        seen.append((record.pk, record.status, user.pk))

    record_approved.connect(receiver, dispatch_uid="test-approvals")
    yield seen
    record_approved.disconnect(dispatch_uid="test-approvals")


def test_record_approved_is_sent_once_after_the_approval_commits(
    approvals, make_record, reviewer, django_capture_on_commit_callbacks
):
    record = make_record(8, "submitted")
    with django_capture_on_commit_callbacks(execute=True):
        services.record_approve(record=record, user=reviewer)
        assert approvals == []  # not before the commit
    assert approvals == [(record.pk, RecordStatus.APPROVED, reviewer.pk)]


def test_record_approved_is_not_sent_when_the_approval_rolls_back(
    approvals, make_record, reviewer, django_capture_on_commit_callbacks
):
    record = make_record(8, "submitted")
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            services.record_approve(record=record, user=reviewer)
            raise RuntimeError("the surrounding transaction fails")
    assert approvals == []
    record.refresh_from_db()
    assert record.status == RecordStatus.SUBMITTED


def test_record_approved_is_not_sent_for_a_refused_approval(
    approvals, make_record, reviewer, django_capture_on_commit_callbacks
):
    record = make_record(8, "draft")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(services.RecordStateError):
        services.record_approve(record=record, user=reviewer)
    assert approvals == []


def test_record_changed_is_sent_for_every_save(make_record, reviewer):
    seen = []

    def receiver(sender, record, **kwargs):
        seen.append(record.status)

    record_changed.connect(receiver, dispatch_uid="test-changed")
    try:
        record = make_record(8, "submitted")  # created, then submitted
        services.record_approve(record=record, user=reviewer)
    finally:
        record_changed.disconnect(dispatch_uid="test-changed")
    assert seen == [RecordStatus.DRAFT, RecordStatus.SUBMITTED, RecordStatus.APPROVED]


def test_record_changed_receivers_run_in_the_saving_transaction(make_record, reviewer):
    """A receiver that fails undoes the save it reacted to: the column never disagrees with the record."""
    record = make_record(8, "submitted")

    def receiver(sender, record, **kwargs):
        raise RuntimeError("the column could not be updated")

    record_changed.connect(receiver, dispatch_uid="test-changed-fails")
    try:
        with pytest.raises(RuntimeError):
            services.record_approve(record=record, user=reviewer)
    finally:
        record_changed.disconnect(dispatch_uid="test-changed-fails")
    record.refresh_from_db()
    assert record.status == RecordStatus.SUBMITTED
    assert not record.events.filter(action="approve").exists()
