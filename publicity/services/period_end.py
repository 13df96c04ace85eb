"""The scheduled end of publicity periods (daily, ``publicity.tasks``): it withdraws and removes across the column's
kinds, so it sits above the publication and black-list services, which do not import each other."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from credit.models import RecordStatus
from publicity.models import Publication
from publicity.services.blacklist import blacklist_remove_lapsed
from publicity.services.publications import publication_withdraw


@transaction.atomic
def publications_end(*, today: datetime.date | None = None) -> dict[str, int]:
    """The scheduled job: mark publications past their end, withdraw those whose decision was revoked or whose
    record expired, and remove black-list entries whose 失信 records are all revoked or expired (the selectors hide
    all of these already; this records it and queues the correction)."""
    today = today or timezone.localdate()
    now = timezone.now()
    ended = Publication.objects.filter(
        published_at__isnull=False, ended_at__isnull=True, withdrawn_at__isnull=True, valid_until__lt=today
    ).update(ended_at=now)
    withdrawn = 0
    # Only what is still on the column: a publication whose period already ended is not withdrawn (nor corrected) again.
    gone = Publication.objects.filter(
        published_at__isnull=False,
        withdrawn_at__isnull=True,
        ended_at__isnull=True,
        record__status__in=[RecordStatus.REVOKED, RecordStatus.EXPIRED],
    ).select_related("record")
    for pub in gone:
        label = _("决定已撤销") if pub.record.status == RecordStatus.REVOKED else _("信用记录已过期")
        publication_withdraw(publication=pub, user=None, reason=label, source="record_status")
        withdrawn += 1
    return {"ended": ended, "withdrawn": withdrawn, "blacklist_removed": blacklist_remove_lapsed(today=today)}
