"""Writes of the oversight app: Annex 2 indicators per year, progress evidence, the General Office's confirmation,
and work bulletins."""

from __future__ import annotations

import datetime
import hashlib
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role
from core.errors import DomainError, StateError
from core.scoping import require_role
from core.workflow import transition
from credit.catalog import load_catalog
from credit.models import Office
from oversight.aggregates import cells_recompute
from oversight.indicators import create_indicators, indicator_specs
from oversight.models import (
    Bulletin,
    BulletinTrigger,
    Indicator,
    IndicatorAction,
    IndicatorEvent,
    IndicatorOffice,
    IndicatorStatus,
    ProgressEntry,
)
from oversight.periods import YEAR_MAX, YEAR_MIN, Period


class IndicatorError(DomainError):
    """A change to an indicator that the input does not allow; shown to the user as is."""


class IndicatorStateError(IndicatorError, StateError):
    """The indicator's current state does not allow the action (another reviewer first, a re-posted form)."""


def business_office_codes() -> list[str]:
    """The "相关业务处室" of Annex 2 row 8: the offices owning at least one Annex 1 item (see oversight.indicators)."""
    return list(Office.objects.filter(items__isnull=False).distinct().order_by("id").values_list("code", flat=True))


@transaction.atomic
def ensure_indicators(year: int) -> int:
    """Create Annex 2's eight indicators of ``year`` where missing (idempotent); returns how many were created."""
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise IndicatorError(_("年度无效：应在 %(min)d 至 %(max)d 之间。") % {"min": YEAR_MIN, "max": YEAR_MAX})
    specs = indicator_specs(load_catalog(), business_office_codes())
    offices = {o.code: o for o in Office.objects.all()}
    return create_indicators(
        year=year, specs=specs, Indicator=Indicator, IndicatorOffice=IndicatorOffice, offices_by_code=offices
    )


def _locked(indicator: Indicator) -> Indicator:
    return Indicator.objects.select_for_update().get(pk=indicator.pk)


def progress_offices(*, indicator: Indicator, user) -> QuerySet[Office]:
    """The offices in whose name ``user`` may report progress on ``indicator``: their own among its offices."""
    if not (user.is_authenticated and user.is_active and user.role in {Role.CLERK, Role.REVIEWER}):
        return Office.objects.none()
    return Office.objects.filter(indicator_assignments__indicator=indicator, members=user).distinct().order_by("id")


@transaction.atomic
def indicator_add_progress(
    *, indicator: Indicator, office: Office, user, text: str, link: str = "", attachment=None
) -> ProgressEntry:
    """An office reports progress on an indicator with its evidence. A returned indicator is back in progress."""
    if not progress_offices(indicator=indicator, user=user).filter(pk=office.pk).exists():
        raise PermissionDenied(_("只能以本人所属且承担该指标的处室填报进展。"))
    indicator = _locked(indicator)
    if indicator.status == IndicatorStatus.DONE:
        raise IndicatorError(_("该指标已确认完成，不能再填报进展；如需补充，请联系办公室重新打开。"))
    entry = ProgressEntry(
        indicator=indicator,
        office=office,
        text=(text or "").strip(),
        link=(link or "").strip(),
        author=user,
        attachment_name=Path(attachment.name).name[:200] if attachment else "",
    )
    if attachment:
        entry.attachment = attachment
    if not entry.text:
        raise IndicatorError({"text": [_("请填写工作进展。")]})
    entry.full_clean()
    entry.save()
    before = indicator.status
    if before == IndicatorStatus.RETURNED:
        indicator.status = IndicatorStatus.IN_PROGRESS
        indicator._history_user = user
        indicator.save(update_fields=["status"])
    IndicatorEvent.objects.create(
        indicator=indicator,
        action=IndicatorAction.PROGRESS,
        from_status=before,
        to_status=indicator.status,
        office=office,
        user=user,
        at=entry.at,
        comment=entry.text[:500],
    )
    return entry


def _decide(indicator: Indicator, *, user, allowed_from: set[str], to: str, action: str, comment: str) -> Indicator:
    require_role(user, Role.REVIEWER)
    return transition(
        indicator,
        allowed_from=allowed_from,
        to=to,
        user=user,
        values={"status_comment": comment},
        stale=lambda locked: IndicatorStateError(
            _("操作未执行：指标当前状态为“%(status)s”，可能已被他人处理，请刷新页面。")
            % {"status": locked.get_status_display()}
        ),
        change_reason=None,
        event=lambda locked, before, now: IndicatorEvent.objects.create(
            indicator=locked, action=action, from_status=before, to_status=to, user=user, at=now, comment=comment
        ),
    )


@transaction.atomic
def indicator_complete(*, indicator: Indicator, user, comment: str = "") -> Indicator:
    """The General Office confirms an indicator done (推进中 / 已退回 → 已完成)."""
    return _decide(
        indicator,
        user=user,
        allowed_from={IndicatorStatus.IN_PROGRESS, IndicatorStatus.RETURNED},
        to=IndicatorStatus.DONE,
        action=IndicatorAction.COMPLETE,
        comment=(comment or "").strip(),
    )


@transaction.atomic
def indicator_return(*, indicator: Indicator, user, comment: str) -> Indicator:
    """The General Office sends an indicator back with its comment (推进中 → 已退回); the offices report again."""
    comment = (comment or "").strip()
    if not comment:
        require_role(user, Role.REVIEWER)
        raise IndicatorError({"comment": [_("退回时请填写意见。")]})
    return _decide(
        indicator,
        user=user,
        allowed_from={IndicatorStatus.IN_PROGRESS},
        to=IndicatorStatus.RETURNED,
        action=IndicatorAction.RETURN,
        comment=comment,
    )


@transaction.atomic
def indicator_reopen(*, indicator: Indicator, user, comment: str = "") -> Indicator:
    """The General Office reopens an indicator confirmed done by mistake (已完成 → 推进中)."""
    return _decide(
        indicator,
        user=user,
        allowed_from={IndicatorStatus.DONE},
        to=IndicatorStatus.IN_PROGRESS,
        action=IndicatorAction.REOPEN,
        comment=(comment or "").strip(),
    )


@transaction.atomic
def bulletin_generate(
    *, period: Period, user=None, trigger: str = BulletinTrigger.MANUAL, today: datetime.date | None = None
) -> Bulletin:
    """Compute the bulletin of ``period`` over every office, write its workbook and keep both (工作通报)."""
    from oversight.exporters import BulletinXlsxExporter
    from oversight.selectors import bulletin_data

    if user is not None:
        require_role(user, Role.REVIEWER)
    data = bulletin_data(period=period, today=today)
    content = BulletinXlsxExporter(data).render()
    bulletin = Bulletin(
        period=period.key,
        title=data["title"],
        data=data,
        sha256=hashlib.sha256(content).hexdigest(),
        trigger=trigger,
        generated_by=user,
    )
    bulletin.file.save(f"bulletin-{period.key}-{timezone.now():%Y%m%d%H%M%S}.xlsx", ContentFile(content), save=False)
    bulletin.save()
    return bulletin


@transaction.atomic
def nil_report_confirm(*, user, office: Office, item, month: datetime.date, request=None):
    """零报告: a clerk of ``office`` confirms it had nothing of ``item`` to report in ``month`` (a month that is over).

    Refused for an item the office is not responsible for, a semiannual item, a month not yet over, a month with
    reported records (they are the report), or one already confirmed."""
    from audit.models import AuditAction
    from audit.services import audit_log
    from credit.catalog import ItemSpec
    from credit.models import Record
    from credit.selectors import submitted_q
    from oversight.models import NilReport

    require_role(user, Role.CLERK, office=office, message=_("只有本处室的填报员可以确认零报告。"))
    month = month.replace(day=1)
    next_month = (month + datetime.timedelta(days=32)).replace(day=1)
    if not item.offices.filter(pk=office.pk).exists():
        raise DomainError({"item": _("“事项”：本处室不是该事项的责任处室，无需零报告。")})
    if ItemSpec.get(item.no).is_semiannual:
        raise DomainError({"item": _("“事项”：该事项一年报送两次，不按月零报告。")})
    if next_month > timezone.localdate():
        raise DomainError({"month": _("“月份”：只能对已经结束的月份确认零报告。")})
    reported = Record.objects.filter(
        submitted_q(), office=office, item=item, business_date__gte=month, business_date__lt=next_month
    )
    if reported.exists():
        raise DomainError({"month": _("“月份”：本处室该月已报送该事项的记录，无需零报告。")})
    report, created = NilReport.objects.get_or_create(
        office=office, item=item, month=month, defaults={"confirmed_by": user}
    )
    if not created:
        raise StateError({"month": _("“月份”：该月该事项的零报告已确认，无需重复确认。")})
    cells_recompute([(office.pk, item.pk, month)])
    audit_log(
        request=request, user=user, action=AuditAction.CREATE, obj=report, detail={"nil_report": f"{month:%Y-%m}"}
    )
    return report
