"""Approving a record and publishing it in one step: the reviewer's use case that needs both credit (the approval) and
the column (the publication). It lives above credit: credit's ``record_approve`` knows nothing of publication."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.roles import Role
from core.scoping import require_role
from credit.guards import after_refusal
from credit.models import Record
from credit.services.records import RecordError, record_approve
from publicity.models import Publication
from publicity.services import publications
from publicity.services.errors import PublicityError
from publicity.services.publications import PENALTY_ITEMS, RED_LIST_ITEMS


@dataclass
class Approval:
    """What approving one record did: the record, and for a penalty (items 2, 8) its publication or what it lacks."""

    record: Record
    # Whether the item publishes on approval: penalties when confirmed; red-list items (6, 7) always, by signal.
    publication_requested: bool = False
    publication: Publication | None = None
    publication_errors: dict[str, list[str]] = field(default_factory=dict)
    red_list: bool = False

    @property
    def published(self) -> bool:
        return self.publication is not None

    @property
    def publication_missing(self) -> list[str]:
        """The Chinese messages saying what the publication still needs (empty when published or not requested)."""
        return [message for messages in self.publication_errors.values() for message in messages]


@transaction.atomic
def record_approve_and_publish(
    *,
    record: Record,
    user,
    publish: bool = True,
    publication: Mapping[str, Any] | None = None,
    override_reason: str = "",
    version: int | str | None = None,
) -> Approval:
    """待审核 → 已通过, and for a penalty (items 2, 8) publish it in the same transaction unless ``publish`` is false.

    ``publish`` false on a red-list item (6, 7) is refused (RecordError on ``publish``) and nothing is approved: the
    catalogue publishes a 守信 record on the red list for its validity once approved (no reviewer's choice, as the
    record page's note says), so an approval that answered 200 "not published" would put it there all the same.

    ``publication`` holds the national 双公示 columns and ``publicity_end`` for ``publication_publish``; blank ones keep
    the record's defaults. Incomplete publication data does not undo the approval: the approval is returned with
    ``publication_errors`` and the reviewer completes the publication later (公示管理). Any other failure rolls both
    back. Red-list items (6, 7) join the red list through ``publicity.receivers`` on the approving save.
    ``override_reason`` passes the reviewer's reasoned override to credit's approval guards (``credit.guards``);
    ``version`` the version the reviewer read (a record changed since is not approved: ``record_approve``).
    """
    require_role(user, Role.REVIEWER)  # a clerk is refused for their role (403) before anything about the body
    if not publish and record.item.no in RED_LIST_ITEMS and not publications.record_withheld(record):
        raise RecordError(
            {
                "publish": [
                    _(
                        "同时公示：红名单事项审核通过即列入红名单，在有效期内公示，不能选择不公示；"
                        "不应公示的记录请退回。"
                    )
                ]
            }
        )
    record = record_approve(record=record, user=user, override_reason=override_reason, version=version)
    outcome = Approval(record=record, red_list=record.item.no in RED_LIST_ITEMS)
    if record.item.no in PENALTY_ITEMS and publish and not publications.record_withheld(record):
        outcome.publication_requested = True
        try:
            with transaction.atomic():  # a savepoint: a refused publication leaves the approval in place
                outcome.publication = publications.publication_publish(
                    record=record, user=user, **dict(publication or {})
                )
        except PublicityError as exc:
            outcome.publication_errors = exc.errors
    return outcome


def records_approve_and_publish(
    *, records: Iterable[Record], user, versions: Mapping[int, Any] | None = None
) -> tuple[list[Approval], dict[int, str]]:
    """Bulk approval: approve each submitted record in its own transaction and publish the penalties that the
    record's own data allows (``penalty_defaults``); the others are approved and reported as needing completion.
    ``versions``: the version of each record id that the reviewer's list showed.

    Returns the approvals and, per record id, the message of those that could not be approved (already decided, …).
    """
    done: list[Approval] = []
    failed: dict[int, str] = {}
    for record in records:
        try:
            version = (versions or {}).get(record.pk)
            done.append(record_approve_and_publish(record=record, user=user, publish=True, version=version))
        except RecordError as exc:
            after_refusal(exc, user=user)  # a guard's refusal is audited once its transaction has rolled back
            failed[record.pk] = str(exc)
    return done, failed
