"""Semiannual reminders (半年报送提醒): a semiannual item (一年两次, item 1) owes a report per responsible office and
period even when the office has no record yet. ``semiannual_reminders_send`` reminds those offices (``SemiannualNotice``,
one per office, item, period and kind) before the period's due date and once it has passed. A notice whose period the
office has since reported for is neither e-mailed nor listed (``reporting.selectors.semiannual_notices_owed``).

The periods and what counts as reported are credit's (``credit.selectors.semiannual_periods``); the notice and the
semiannual delivery are reporting's.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from credit.models import Item, NoticeKind, Office
from credit.selectors import due_soon_end, semiannual_periods
from credit.services.calendar import semiannual_period
from credit.services.notices import ReminderResult, notices_email_unsent
from reporting.models import SemiannualNotice
from reporting.selectors import semiannual_notices_owed


def _period_message(office: Office, item, start: datetime.date, due: datetime.date, kind: str) -> str:
    half = _("上半年") if due.month <= 6 else _("下半年")
    values = {
        "office": office.name,
        "item": item.name,
        "period": f"{due.year}{half}",
        "start": start.isoformat(),
        "due": due.isoformat(),
    }
    if kind == NoticeKind.OVERDUE:
        text = _(
            "%(office)s尚未报送%(period)s（%(start)s 至 %(due)s）的“%(item)s”，已超过截止日期 %(due)s，请尽快报送。"
        )
    else:
        text = _("%(office)s尚未报送%(period)s（%(start)s 至 %(due)s）的“%(item)s”，截止日期 %(due)s，请按时报送。")
    return text % values


def semiannual_reminders_send(*, today: datetime.date | None = None, days: int | None = None) -> ReminderResult:
    """Remind every office responsible for a semiannual item (一年两次) that has submitted nothing for a period: when
    the period's due date is within ``days`` working days (default ``REMINDER_WORKING_DAYS``), and once the period
    just ended is past due; then e-mail the offices' unsent semiannual notices of periods still owed. Each (office,
    item, period, kind) once.
    """
    today = today or timezone.localdate()
    days = settings.REMINDER_WORKING_DAYS if days is None else days
    soon_end = due_soon_end(today, days)
    last_ended = semiannual_period(today)[0] - datetime.timedelta(days=1)  # due date of the period before today's
    offices = Office.objects.filter(items__in=Item.objects.filter(deadline_kind="semiannual")).distinct()
    created = 0
    with transaction.atomic():
        for office in offices.order_by("pk"):
            for period in semiannual_periods(office, today=today):
                if not period.owed:
                    continue
                if today <= period.due <= soon_end:
                    kind = NoticeKind.DUE_SOON
                elif (period.end or period.due) == last_ended:
                    kind = NoticeKind.OVERDUE
                else:
                    continue
                _notice, was_created = SemiannualNotice.objects.get_or_create(
                    office=office,
                    item=period.item,
                    due_date=period.due,
                    kind=kind,
                    defaults={
                        "period_start": period.start,
                        "message": _period_message(office, period.item, period.start, period.due, kind),
                    },
                )
                created += was_created
    emailed, mails = notices_email_unsent(
        SemiannualNotice.objects.all(),
        subject=_("【信用信息报送】%(office)s有 %(n)d 项半年报送需要处理"),
        # Not "尚未报送" to an office that has reported since (e.g. one that had no address when the notice was made).
        keep=lambda unsent: semiannual_notices_owed(unsent, today=today),
    )
    return ReminderResult(created=created, emailed=emailed, mails=mails)
