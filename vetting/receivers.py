"""The checks that follow credit's announcements: an award or recognition is checked when it is entered, submitted
and imported (``credit.signals``); its approval is guarded (``credit.guards``)."""

from __future__ import annotations

from credit.guards import register_approval_guard
from credit.models import RecordStatus
from credit.signals import record_changed, records_created
from vetting.models import CheckTrigger
from vetting.services.checks import approval_guard, check_record, check_records
from vetting.services.evaluations import evaluations_compute

# The states in which a record starts or stops counting in its organisation's evaluation.
EVALUATED_STATES = {RecordStatus.APPROVED, RecordStatus.REVOKED, RecordStatus.EXPIRED}


def on_record_changed(sender, record, **kwargs) -> None:
    """Check a new award (录入) and each submission of one (提交), in the saving transaction; recompute the
    organisation's credit evaluation when an approved record of it changes (approved, changed, revoked, expired)."""
    if record.subject_id and record.status in EVALUATED_STATES and not record.item.is_natural_person:
        evaluations_compute(subject_ids=[record.subject_id])
    if record.status == RecordStatus.DRAFT and record.version == 1:
        check_record(record=record, trigger=CheckTrigger.CREATE, user=record.updated_by)
    elif record.status == RecordStatus.SUBMITTED:
        check_record(record=record, trigger=CheckTrigger.SUBMIT, user=record.updated_by)


# records_create_bulk sends no record_changed; it announces the created records as a whole (records_created).
on_record_changed.safe_for_new_records = "a bulk creation is checked as a whole through records_created, on commit"


def on_records_created(sender, records, user, **kwargs) -> None:
    """Check the awards a template import created, once it has committed (imports create drafts or submissions,
    which do not count in an evaluation yet)."""
    check_records(records=records, trigger=CheckTrigger.IMPORT, user=user)


def connect() -> None:
    record_changed.connect(on_record_changed, dispatch_uid="vetting.on_record_changed")
    records_created.connect(on_records_created, dispatch_uid="vetting.on_records_created")
    register_approval_guard("vetting.credit_check", approval_guard)
