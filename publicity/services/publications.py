"""Publishing credit records on the column: 双公示 penalties (items 2 and 8, by a reviewer, with the national fields
and a publicity end date) and the red list (items 6 and 7, on approval, for their validity); withdrawal; the end of
publicity periods. Whether an entry is *visible* is decided by ``publicity.selectors`` alone."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role
from core.scoping import require_role
from credit.catalog import PENALTY, RED_LIST, ItemSpec
from credit.models import Record, RecordStatus
from credit.registry import model_for_item
from credit.services.calendar import due_date_for
from credit.services.publication_facts import record_mark_published
from publicity.models import CorrectionKind, Publication, PublicationKind, Severity
from publicity.models.publications import PENALTY_CATEGORIES
from publicity.services.corrections import correction_notice_create
from publicity.services.entries import fill_from_record
from publicity.services.errors import PublicityError, PublicityStateError
from publicity.services.periods import Period, add_months, period_for

__all__ = ["add_months"]  # re-exported: the repair rules count months the same way

# The items by how the catalogue publishes them (``publicity``); the others are never public, except an explicit
# black-list decision (publicity.services.blacklist).
PENALTY_ITEMS = tuple(item.no for item in ItemSpec.items_with(publicity=PENALTY))
RED_LIST_ITEMS = tuple(item.no for item in ItemSpec.items_with(publicity=RED_LIST))
PUBLIC_ITEMS = PENALTY_ITEMS + RED_LIST_ITEMS

# The national penalty column (cf_*) behind each value ``penalty_defaults`` proposes for a Publication.
_DEFAULT_COLUMNS = {
    "decision_number": "cf_wsh",
    "offence_type": "cf_wfxw",
    "offence_facts": "cf_sy",
    "penalty_basis": "cf_yj",
    "penalty_category": "cf_cflb",
    "content": "cf_nr",
    "authority": "cf_cfjg",
    "decision_date": "cf_jdrq",
}


def publicity_end_bounds(decision_date: datetime.date) -> tuple[datetime.date, datetime.date]:
    """(earliest, latest) publicity end any penalty decided on ``decision_date`` may have (the envelope of NDRC order
    No. 58); a penalty's own bounds come from the rule table (``penalty_period``)."""
    return (
        add_months(decision_date, settings.PUBLICITY_PENALTY_MIN_MONTHS),
        add_months(decision_date, settings.PUBLICITY_PENALTY_MAX_MONTHS),
    )


def penalty_period(
    category: str, *, other_categories=(), severity: str = "", sector: str = "", rules: list | None = None
) -> Period:
    """The rule table's period for a penalty of ``category`` and ``other_categories`` (the longest applies)."""
    return period_for([category, *other_categories], severity=severity, sector=sector, rules=rules)


def default_period(defaults: dict) -> tuple[Period, datetime.date, datetime.date, datetime.date]:
    """(period, earliest end, latest end, default end) of a penalty with ``penalty_defaults`` ``defaults``, before
    the reviewer names other categories, a severity or a sector: what the publish form proposes."""
    period = penalty_period(str(defaults.get("penalty_category") or ""))
    earliest, latest = period.bounds(defaults["decision_date"])
    return period, earliest, latest, period.default_end(defaults["decision_date"], timezone.localdate())


def record_withheld(record: Record) -> bool:
    """Whether the catalogue keeps ``record`` off the column whatever its status (e.g. a 处分 of item 8)."""
    typed = typed_record(record) if type(record) is Record else record
    return ItemSpec.get(typed.ITEM_NO).withheld(typed)


def publication_deadline(decision_date: datetime.date):
    """The seventh working day after the decision: by then it should be public (DueDate with provisional flag)."""
    return due_date_for(decision_date, settings.PUBLICITY_PUBLISH_WORKING_DAYS)


def typed_record(record: Record) -> Record:
    """The item's own record (the typed child row) of ``record``, with its item and subject."""
    return model_for_item(record.item.no).objects.select_related("item", "subject").get(pk=record.pk)


def penalty_defaults(record: Record) -> dict[str, object]:
    """The national penalty columns as far as the Annex 1 record already answers them (the reviewer completes them):
    each value from the record field the catalogue maps to its column (``publication`` of a penalty item), else empty.
    """
    r = typed_record(record)
    mapping = ItemSpec.get(r.ITEM_NO).penalty_columns
    if mapping is None:
        raise PublicityError(_("该事项不属于双公示行政处罚。"))
    values: dict[str, object] = {}
    for key, column in _DEFAULT_COLUMNS.items():
        # The column the record answers (an Annex 1 field, or a national column the clerk entered with the record);
        # when that is left empty, the field the catalogue suggests for it.
        sources = [mapping.columns.get(column), mapping.suggested.get(column)]
        values[key] = next((v for src in sources if src and (v := getattr(r, src, None)) not in (None, "")), "")
    if values["penalty_category"] not in PENALTY_CATEGORIES:  # only a value of the standard's code table
        values["penalty_category"] = ""
    return values


def _fill_red_list(pub: Publication, r: Record) -> None:
    pub.kind, pub.item_no = PublicationKind.RED_LIST, r.ITEM_NO
    pub.decision_date = r.business_date
    pub.valid_until = r.validity_end
    entry = ItemSpec.get(r.ITEM_NO).red_list_entry
    fields = {key: getattr(r, key) for key in r.field_keys()}
    fields["office"] = r.office.name if r.office_id else ""
    pub.document_number = entry.document_number.format_map(fields)
    pub.authority = entry.authority.format_map(fields)
    if not pub.corrected_at:  # a content corrected on an objection stands (see request_decide)
        pub.content = entry.content.format_map(fields)
    fill_from_record(pub, r)
    pub.apply_corrections()


@transaction.atomic
def publication_publish(
    *,
    record: Record,
    user,
    publicity_end: datetime.date | None = None,
    decision_number: str | None = None,
    offence_type: str | None = None,
    offence_facts: str | None = None,
    penalty_basis: str | None = None,
    penalty_category: str | None = None,
    other_categories=None,
    severity: str | None = None,
    sector: str | None = None,
    period_reason: str | None = None,
) -> Publication:
    """Publish an approved penalty decision (items 2 and 8) with the national columns Annex 1 lacks and its publicity
    end: by default the minimum the period rules allow for its categories, severity and sector (several categories:
    the longest); a later end up to the rules' maximum needs a reason. A record the catalogue withholds (a 处分) is
    never published."""
    require_role(user, Role.REVIEWER)
    record = Record.objects.select_for_update().select_related("item").get(pk=record.pk)
    if record.item.no not in PENALTY_ITEMS:
        raise PublicityError(
            _("只有行政处罚（事项%(items)s）需要发布公示；红名单在审核通过后自动公示。")
            % {"items": "、".join(str(no) for no in PENALTY_ITEMS)}
        )
    if record.status != RecordStatus.APPROVED:
        raise PublicityStateError(
            _("只有审核通过的记录才能公示（当前状态：%(s)s）。") % {"s": record.get_status_display()}
        )
    if record_withheld(record):
        raise PublicityStateError(_("该记录为处分，不是行政处罚，不在双公示专栏公示。"))
    values = penalty_defaults(record)
    given = {
        "decision_number": decision_number,
        "offence_type": offence_type,
        "offence_facts": offence_facts,
        "penalty_basis": penalty_basis,
        "penalty_category": penalty_category,
    }
    values.update({k: v.strip() for k, v in given.items() if v is not None and v.strip()})
    required = {
        "decision_number": _("行政处罚决定书文号"),
        "offence_type": _("违法行为类型"),
        "offence_facts": _("违法事实"),
        "penalty_basis": _("处罚依据"),
        "penalty_category": _("处罚类别"),
    }
    errors = {
        k: [_("%(name)s：公示前必须填写（国家双公示标准必填项）。") % {"name": n}]
        for k, n in required.items()
        if not values.get(k)
    }
    decision_date = values["decision_date"]
    others = [c for c in (other_categories or []) if c]
    unknown = [c for c in others if c not in PENALTY_CATEGORIES]
    if unknown:
        errors["other_categories"] = [_("其他处罚类别不在国家标准代码表中：%(c)s。") % {"c": "、".join(unknown)}]
    severity, sector, reason = (severity or "").strip(), (sector or "").strip(), (period_reason or "").strip()
    if severity and severity not in Severity.values:
        errors["severity"] = [_("违法行为严重程度：请选择“一般”或“严重”。")]
    period = penalty_period(
        str(values.get("penalty_category") or ""), other_categories=others, severity=severity, sector=sector
    )
    earliest, latest = period.bounds(decision_date)
    default_end = period.default_end(decision_date, timezone.localdate())
    publicity_end = publicity_end or default_end
    if not earliest <= publicity_end <= latest:
        errors["publicity_end"] = [
            _("按公示期限规则，公示截止日期应在 %(a)s 至 %(b)s 之间（%(min)s 至 %(max)s 个月）。")
            % {"a": earliest, "b": latest, "min": period.min_months, "max": period.max_months}
        ]
    elif publicity_end < timezone.localdate():
        errors["publicity_end"] = [_("公示截止日期已过，不能公示。")]
    elif publicity_end != default_end and not reason:
        errors["period_reason"] = [
            _("公示期限理由：公示截止日期不是规则默认的 %(d)s（最短公示期）时，必须说明理由。") % {"d": default_end}
        ]
    if errors:
        raise PublicityError(errors)
    pub = Publication.objects.filter(record=record).first() or Publication(record=record)
    if pub.pk and pub.withdrawn_at:
        raise PublicityStateError(_("该公示已撤下，不能重新公示。"))
    typed = typed_record(record)
    pub.kind, pub.item_no = PublicationKind.PENALTY, record.item.no
    for key, value in values.items():
        if key == "decision_number" or (key == "content" and pub.corrected_at):  # a correction stands
            continue
        setattr(pub, key, value)
    pub.document_number = values["decision_number"]  # cf_wsh
    pub.publicity_end = pub.valid_until = publicity_end
    pub.other_categories, pub.severity, pub.sector, pub.period_reason = others, severity, sector, reason
    fill_from_record(pub, typed)
    pub.apply_corrections()
    pub.published_at = pub.published_at or timezone.now()
    pub.published_by = user
    try:
        pub.full_clean()
    except ValidationError as exc:
        raise PublicityError(exc.message_dict) from exc
    pub.save()
    record_mark_published(record=record, at=pub.published_at)
    return pub


def red_list_sync(*, record: Record) -> Publication | None:
    """Put an approved item 6/7 record on the red list (or refresh it); its validity bounds it, not a reviewer."""
    if record.item.no not in RED_LIST_ITEMS or record.status != RecordStatus.APPROVED:
        return None
    typed = typed_record(record)
    pub = Publication.objects.filter(record=record).first() or Publication(record=record)
    _fill_red_list(pub, typed)
    pub.published_at = pub.published_at or record.decided_at or timezone.now()
    pub.save()
    record_mark_published(record=record, at=pub.published_at)
    return pub


def publication_refresh(*, record: Record) -> None:
    """Keep a publication's public columns in step with its record (e.g. after an approved change). Content corrected
    on an objection (``corrected_at`` set) is kept: the record's text is what the objection found wrong."""
    pub = Publication.objects.filter(record_id=record.pk).first()
    if pub is None:
        return
    typed = typed_record(record)
    if record_withheld(typed):  # e.g. an approved change made it a 处分: it leaves the column at once
        if pub.published_at and not pub.withdrawn_at:
            publication_withdraw(
                publication=pub, user=None, reason=_("该记录为处分，不是行政处罚，不予公示"), source="record_status"
            )
        return
    if pub.kind == PublicationKind.RED_LIST:
        _fill_red_list(pub, typed)
    else:
        defaults = penalty_defaults(typed)
        pub.decision_date = defaults["decision_date"]
        if not pub.corrected_at:
            pub.content = defaults["content"] or pub.content
        pub.authority = defaults["authority"] or pub.authority
        if ItemSpec.get(typed.ITEM_NO).penalty_columns.columns.get("cf_wsh") and defaults["decision_number"]:
            pub.document_number = defaults["decision_number"]  # the record itself carries the decision number
        fill_from_record(pub, typed)
        pub.apply_corrections()
    pub.save()


@transaction.atomic
def publication_withdraw(
    *, publication: Publication, user, reason: str, source: str = "reviewer", source_reference: str = ""
) -> Publication:
    """Take an entry off the column before its end (repair granted, objection upheld, decision revoked)."""
    if user is not None:
        require_role(user, Role.REVIEWER)
    if not (reason or "").strip():
        raise PublicityError({"reason": [_("请填写撤下原因。")]})
    pub = Publication.objects.select_for_update().get(pk=publication.pk)
    if pub.withdrawn_at:
        return pub
    pub.withdrawn_at, pub.withdrawn_reason = timezone.now(), reason.strip()
    pub.save(update_fields=["withdrawn_at", "withdrawn_reason"])
    correction_notice_create(
        kind=CorrectionKind.WITHDRAWN,
        source=source,
        source_reference=source_reference,
        publication=pub,
        description=_("撤下公示：%(r)s") % {"r": pub.withdrawn_reason},
    )
    return pub
