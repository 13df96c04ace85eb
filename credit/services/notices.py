"""Reminders (到期提醒): before a record's due date and once it is overdue, in the workspace and by e-mail, each once.

``notices_email_unsent`` e-mails any notice model with an office and a message, so the apps above credit send their
reminders (e.g. of a semiannual report an office owes) the same way.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role
from credit.models import Notice, NoticeKind, Office, Record
from credit.selectors import due_soon_end, records_due_soon, records_overdue, with_entered_subject_names

logger = logging.getLogger(__name__)


@dataclass
class ReminderResult:
    created: int
    emailed: int
    mails: int


def _message(record: Record, kind: str) -> str:
    # The name the record was entered with: the shared subject's name may come from another office's record.
    subject = getattr(record, "entered_subject_name", "")
    due = record.due_date.isoformat() + (_("（暂定）") if record.due_date_provisional else "")
    if kind == NoticeKind.OVERDUE:
        text = _("“%(item)s”记录 #%(id)s（%(subject)s）已超过报送截止日期 %(due)s，尚未提交，请尽快报送。")
    else:
        text = _("“%(item)s”记录 #%(id)s（%(subject)s）将于 %(due)s 到期，请在截止日期前提交。")
    return text % {"item": record.item.name, "id": record.pk, "subject": subject or "—", "due": due}


def _create_notices(records, kind: str) -> int:
    created = 0
    for record in with_entered_subject_names(records.select_related("item").exclude(notices__kind=kind)):
        _notice, was_created = Notice.objects.get_or_create(
            record=record,
            kind=kind,
            defaults={"office_id": record.office_id, "due_date": record.due_date, "message": _message(record, kind)},
        )
        created += was_created
    return created


def office_recipients(office: Office) -> list[str]:
    """The office's notification address and its active clerks' e-mail addresses."""
    addresses = [office.email] if office.email else []
    addresses += [
        email
        for email in office.members.filter(role=Role.CLERK, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    ]
    return sorted(set(addresses))


# Longer than any transaction that returns or withdraws a record (see ``overdue_candidates``).
REMINDER_MARGIN = datetime.timedelta(hours=1)


def _last_notice(kind: str) -> datetime.datetime | None:
    return Notice.objects.filter(kind=kind).order_by("-created_at").values_list("created_at", flat=True).first()


def _changed_since(since: datetime.datetime) -> Q:
    """Records that may have become due for a reminder since ``since``: new, returned or withdrawn (each sets
    ``updated_at``), or given another due date by a calendar change (which leaves a 截止日期调整 notice)."""
    # Read first (a few ids): inside the OR a subquery would keep the planner from combining the indexes.
    moved = list(
        Notice.objects.filter(kind=NoticeKind.DUE_DATE_CHANGED, created_at__gte=since).values_list(
            "record_id", flat=True
        )
    )
    return Q(updated_at__gte=since) | Q(pk__in=moved) if moved else Q(updated_at__gte=since)


def overdue_candidates(today: datetime.date) -> QuerySet[Record]:
    """Overdue records that may still lack their overdue notice, without reading every overdue record in history.

    The last run that created an overdue notice (at ``last``) noticed every record then unsubmitted and past its due
    date, in one transaction. A record without a notice is therefore one that was not yet overdue then (due on or after
    that day) or has changed since (``_changed_since``). Before any overdue notice exists, every overdue record is
    looked at."""
    records = records_overdue(Record.objects.all(), today=today)
    last = _last_notice(NoticeKind.OVERDUE)
    if last is None:
        return records
    since = last - REMINDER_MARGIN
    return records.filter(
        Q(due_date__gte=timezone.localdate(since) - datetime.timedelta(days=1)) | _changed_since(since)
    )


def due_soon_candidates(today: datetime.date, days: int) -> QuerySet[Record]:
    """Records due within ``days`` working days that may still lack their due-soon notice, the same way: the last run
    that created one noticed every unsubmitted record due up to ``days`` working days after its day, so a record
    without one is due later than that, or has changed since. (A run with fewer ``days`` than the last one looks at
    the same or fewer days; the setting is one for every run.)"""
    records = records_due_soon(Record.objects.all(), today=today, days=days)
    last = _last_notice(NoticeKind.DUE_SOON)
    if last is None:
        return records
    since = last - REMINDER_MARGIN
    return records.filter(Q(due_date__gt=due_soon_end(timezone.localdate(since), days)) | _changed_since(since))


def reminders_send(*, today: datetime.date | None = None, days: int | None = None) -> ReminderResult:
    """Create the notices due today (due within ``days`` working days, by default ``REMINDER_WORKING_DAYS``; overdue)
    and e-mail every notice not yet sent.

    A notice exists once per (record, kind), so running this twice a day, or after a failure, never repeats one.
    """
    today = today or timezone.localdate()
    days = settings.REMINDER_WORKING_DAYS if days is None else days
    with transaction.atomic():
        created = _create_notices(due_soon_candidates(today, days), NoticeKind.DUE_SOON)
        created += _create_notices(overdue_candidates(today), NoticeKind.OVERDUE)

    emailed, mails = notices_email_unsent(
        Notice.objects.all(), subject=_("【信用信息报送】%(office)s有 %(n)d 条记录需要处理")
    )
    return ReminderResult(created=created, emailed=emailed, mails=mails)


def notices_email_unsent(notices, *, subject: str, keep: Callable[[list], list] | None = None) -> tuple[int, int]:
    """E-mail each office its notices not yet e-mailed (of ``notices``: a queryset of a notice model with ``office``,
    ``message``, ``emailed_at``, ``emailed_to``; of those, the ones ``keep`` keeps), one mail per office; returns
    (notices e-mailed, mails sent)."""
    # The offices with something unsent, and of those the ones with an address: the notices of an office nobody can be
    # mailed at stay unsent (shown in the workspace) and are not read again on every run.
    waiting = notices.filter(emailed_at__isnull=True)
    offices = Office.objects.in_bulk(set(waiting.order_by().values_list("office_id", flat=True).distinct()))
    addresses = {pk: office_recipients(office) for pk, office in offices.items()}
    reachable = [pk for pk, to in addresses.items() if to]
    unsent = list(waiting.filter(office_id__in=reachable).select_related("office").order_by("office_id", "id"))
    if keep is not None:
        unsent = keep(unsent)
    by_office: dict[Office, list] = defaultdict(list)
    for notice in unsent:
        by_office[notice.office].append(notice)
    emailed = mails = 0
    for office, pending in by_office.items():
        recipients = addresses[office.pk]
        body = "\n".join(f"· {n.message}" for n in pending)
        body += "\n\n" + _("请登录信用信息报送平台工作台处理：%(url)s") % {"url": settings.WORKSPACE_URL}
        try:
            send_mail(
                subject % {"office": office.name, "n": len(pending)},
                body,
                settings.DEFAULT_FROM_EMAIL,
                recipients,
            )
        except Exception:  # the next run retries; one office's bad address must not stop the others
            logger.exception("reminder e-mail to %s failed", office.code)
            continue
        notices.model.objects.filter(pk__in=[n.pk for n in pending]).update(
            emailed_at=timezone.now(), emailed_to=", ".join(recipients)
        )
        emailed += len(pending)
        mails += 1
    return emailed, mails
