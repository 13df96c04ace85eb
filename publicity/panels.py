"""What the column adds to credit's record page (``credit.panels``): the record's entry on the column, and in the
reviewer's approve form the publication the approval makes (a penalty's national columns, or the red-list note)."""

from __future__ import annotations

from accounts.roles import Role
from credit.models import RecordStatus
from credit.panels import register_record_panel
from publicity.forms import PUBLICATION_FIELDS, ApproveForm
from publicity.selectors import record_publication
from publicity.services.errors import PublicityError
from publicity.services.publications import (
    PENALTY_ITEMS,
    RED_LIST_ITEMS,
    default_period,
    penalty_defaults,
    record_withheld,
)


def approve_form_for(record) -> ApproveForm | None:
    """The approve form of a submitted penalty record, pre-filled with what the record answers for publication."""
    if record.status != RecordStatus.SUBMITTED or record.item.no not in PENALTY_ITEMS or record_withheld(record):
        return None
    try:
        defaults = penalty_defaults(record)
    except PublicityError:
        return None
    initial = {key: value for key, value in defaults.items() if key in PUBLICATION_FIELDS and value}
    initial["publicity_end"] = default_period(defaults)[3]  # the minimum the period rules allow
    return ApproveForm(initial=initial)


def _publication(request, record) -> dict | None:
    if record.item.no not in PENALTY_ITEMS + RED_LIST_ITEMS:
        return None
    return {"publication": record_publication(record), "publishes": record.item.no in PENALTY_ITEMS}


def _approve(request, record, form: ApproveForm | None = None) -> dict | None:
    """Only while a reviewer decides a submitted record; ``form`` is the approve view's bound form, with its errors."""
    if not (request.user.role == Role.REVIEWER and record.status == RecordStatus.SUBMITTED):
        return None
    return {"approve_form": form or approve_form_for(record), "joins_red_list": record.item.no in RED_LIST_ITEMS}


def register() -> None:
    register_record_panel(
        name="publicity-publication",
        slot="facts",
        template="publicity/workspace/record_publication.html",
        context=_publication,
    )
    register_record_panel(
        name="publicity-approve", slot="approve", template="publicity/workspace/record_approve.html", context=_approve
    )
