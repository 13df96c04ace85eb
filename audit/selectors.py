"""Reading the audit log: the auditor's filtered view."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator, Mapping
from functools import cache

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from audit.forms import AuditFilterForm
from audit.models import AuditEvent
from core.roles import Role


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def audit_event_list(*, filters: Mapping) -> QuerySet[AuditEvent]:
    """Events matching the cleaned filters of ``AuditFilterForm`` (user, action, outcome, date range, object)."""
    qs = AuditEvent.objects.all()
    if filters.get("user"):
        qs = qs.filter(username__icontains=filters["user"])
    if filters.get("action"):
        qs = qs.filter(action=filters["action"])
    if filters.get("outcome"):
        qs = qs.filter(outcome=filters["outcome"])
    # The calendar's first and last days bound nothing (and have no UTC midnight / next day to compute).
    if filters.get("date_from") and filters["date_from"] > datetime.date.min:
        qs = qs.filter(at__gte=_day_start(filters["date_from"]))
    if filters.get("date_to") and filters["date_to"] < datetime.date.max:
        qs = qs.filter(at__lt=_day_start(filters["date_to"] + datetime.timedelta(days=1)))
    if filters.get("object_type"):
        # The page names object types in Chinese (教师行政处罚): either that name or the model label is found.
        text = filters["object_type"]
        named = [m._meta.label_lower for m in apps.get_models() if text in str(m._meta.verbose_name)]
        qs = qs.filter(Q(object_type__icontains=text) | Q(object_type__in=named))
    if filters.get("object_id"):
        qs = qs.filter(object_id=filters["object_id"])
    if filters.get("q"):
        q = filters["q"]
        qs = qs.filter(Q(object_repr__icontains=q) | Q(path__icontains=q) | Q(ip__startswith=q))
    return qs.order_by("-at", "-id")


# --- The log in words ------------------------------------------------------------------------------------------------
#
# An entry's detail is free JSON written by every app (``audit_log`` callers): field names, status and other codes,
# before/after pairs. The page names each key and coded value in Chinese. Field names and statuses come from the
# models themselves (the object's model first, found in the app registry: the log sits at the bottom of the layers and
# imports none of the apps above it); the keys and codes that name no model field are listed here. A key or value
# nobody listed yet still shows, as recorded.

# What each key is; a key that is a field of the object's model not listed here is named by the field.
DETAIL_LABELS = {
    "accepted": _("接受行数"),
    "activate_when_approved": _("批准后启用"),
    "all": _("全部记录"),
    "awaiting": _("待处理"),
    "awaiting_confirmation": _("待确认的设置"),
    "batch_check": _("审查报告编号"),
    "breach_record": _("失信记录"),
    "candidates": _("候选人数"),
    "change": _("变更内容"),
    "changed_fields": _("修改的字段"),
    "changes": _("变更"),
    "commitments": _("承诺数"),
    "credit_check": _("审查时点"),
    "credit_report": _("信用报告编号"),
    "cutoff": _("截止时间"),
    "deleted": _("删除数"),
    "delivery": _("报送去向"),
    "duplicates": _("重复行数"),
    "entries": _("条目数"),
    "error": _("错误"),
    "errors": _("错误数"),
    "expiry": _("到期时间"),
    "fields": _("字段"),
    "file": _("文件"),
    "files": _("文件"),
    "filters": _("筛选条件"),
    "format": _("文件格式"),
    "from": _("原状态"),
    "granted_by": _("授权人"),
    "history_id": _("历史版本号"),
    "hits": _("失信信息条数"),
    "incomplete": _("缺少必填项的条数"),
    "invalid": _("无法识别的行数"),
    "ip": _("来源地址"),
    "item": _("事项"),
    "kind": _("类型"),
    "known_account": _("已知账号"),
    "manual_upload": _("手工上传"),
    "mode": _("导入方式"),
    "nil_report": _("零报告月份"),
    "office": _("处室"),
    "offices": _("所属处室"),
    "otp": _("双因素认证"),
    "outcome": _("审查结果"),
    "override_reason": _("例外通过理由"),
    "owner": _("所有者"),
    "page": _("页面"),
    "proposed_by": _("提出人"),
    "reason": _("原因"),
    "receipt": _("回执"),
    "record": _("记录"),
    "records": _("记录"),
    "refused": _("拒收行数"),
    "replaced": _("整体替换"),
    "resolved": _("已解决的拒收行数"),
    "retention_days": _("保留天数"),
    "revoked": _("撤回数"),
    "role": _("角色"),
    "roles": _("角色"),
    "rows": _("行数"),
    "rule": _("规则"),
    "scheduled": _("定时生成"),
    "self_service": _("本人操作"),
    "sha256": _("文件摘要（SHA-256）"),
    "since": _("起始"),
    "size": _("文件大小（字节）"),
    "source": _("来源"),
    "sources": _("失信信息来源"),
    "stage": _("阶段"),
    "status": _("状态"),
    "step": _("步骤"),
    "stored": _("反馈行数"),
    "submit": _("同时提交审核"),
    "to": _("新状态"),
    "token_action": _("令牌操作"),
    "token_id": _("令牌编号"),
    "token_prefix": _("令牌前缀"),
    "username": _("用户名"),
    "via": _("途径"),
    "with_hits": _("有失信信息的人数"),
    "notices": _("更正通知数"),
}
# Keys of a nested object: a delivery's destination (``reporting.transports``).
NESTED_LABELS = {
    "delivery": {
        "transport": _("报送通道"),
        "folder": _("投递目录"),
        "host": _("主机"),
        "port": _("端口"),
        "address": _("连接地址"),
        "status": _("响应状态码"),
    },
}
# The codes of keys that name no model field, by key.
DETAIL_VALUES = {
    "reason": {
        "idle": _("空闲超时"),
        "absolute": _("超过最长登录时长"),
        "retention": _("超过保存期限"),
        "exception": _("处理出错"),
        "admin": _("安全管理员在管理后台强制下线"),
    },
    "via": {
        "admin": _("管理后台"),
        "edit_form": _("修改页面"),
        "api_token": _("API 令牌"),
        "web": _("网页"),
        "command": _("管理命令"),
    },
    "rule": {"role_separation": _("三员分立角色隔离")},
    "file": {
        "blank_template": _("空白上传模板"),
        "error_copy": _("错误标注文件"),
        "batch": _("报送批次文件"),
        "upload": _("上传的文件"),
        "evidence": _("证明材料"),
        "commitment": _("信用承诺书"),
    },
    "error": {"missing": _("文件不存在或无法读取")},
    "token_action": {"cleared": _("清除"), "replaced": _("更换"), "unchanged": _("未变")},
    "awaiting": {"sysadmin_approval": _("系统管理员批准")},
    "otp": {"totp": _("动态口令（TOTP）")},
    "stage": {"enrol": _("绑定认证器")},
    "step": {"platform_feedback": _("平台反馈"), "delivery": _("报送")},
    "kind": {
        "command_line": _("命令行导出"),
        "double_publicity_penalty": _("双公示（行政处罚）"),
        "double_publicity_licence": _("双公示（行政许可）"),
    },
    "page": {"admin_api_tokens": _("管理后台 API 令牌列表")},
    # A delivery settings change (``reporting.services.delivery``).
    "status": {"pending_confirmation": _("待另一名安全管理员确认"), "in_force": _("已生效"), "withdrawn": _("已撤回")},
    # A changed secret, named only as changed (``reporting.services.delivery.pending_changes``).
    "changes": {"changed": _("已更换")},
}
DETAIL_VALUES["files"] = DETAIL_VALUES["file"]
# Keys whose codes are the choices of another model's field than the object's (by app label, from the registry).
VALUE_FIELDS = {
    "status": ("credit.record", "status"),
    "from": ("credit.record", "status"),
    "to": ("credit.record", "status"),
    "credit_check": ("vetting.creditcheck", "trigger"),
    "outcome": ("vetting.creditcheck", "outcome"),
    "sources": ("vetting.checkrule", "source"),
    "source": ("reporting.deliverysettings", "transport"),
    "transport": ("reporting.deliverysettings", "transport"),
    "kind": ("reporting.exportbatch", "kind"),
    "format": ("reporting.exportbatch", "format"),
    "mode": ("reporting.importjob", "mode"),
}
# Keys whose values are field names of the object's model.
FIELD_NAME_KEYS = frozenset({"changed_fields", "fields", "awaiting_confirmation"})
ROLE_KEYS = frozenset({"role", "roles"})
STATUS_KEYS = frozenset({"status", "from", "to"})


def _model(label: str | None) -> type[models.Model] | None:
    if not label:
        return None
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _field(model: type[models.Model] | None, name: str):
    if model is None or not isinstance(name, str):
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if getattr(field, "verbose_name", None) is not None else None  # not a reverse relation


@cache
def _fields_anywhere() -> dict[str, models.Field]:
    """Field name → the first model field of that name: names a field whose object is not known (a page of records
    of several models, a model since removed). History models are left out: they copy their model's fields."""
    found: dict[str, models.Field] = {}
    for model in apps.get_models():
        if model.__name__.startswith("Historical"):
            continue
        for field in model._meta.get_fields():
            if getattr(field, "verbose_name", None) is not None:
                found.setdefault(field.name, field)
    return found


def object_type_label(object_type: str | None) -> str:
    """A model label as the model's Chinese name ("credit.teacherpenaltyrecord" → 教师行政处罚); unknown as recorded."""
    model = _model(object_type)
    return str(model._meta.verbose_name) if model is not None else (object_type or "")


def field_label(model: type[models.Model] | None, name) -> str:
    """A field name as its verbose name: of ``model``'s field, else of any model's field of that name, else as is."""
    field = _field(model, name) or (_fields_anywhere().get(name) if isinstance(name, str) else None)
    return str(capfirst(field.verbose_name)) if field is not None else str(name)


def _choice(field, value) -> str | None:
    """The label of ``value`` among a model or form field's choices; ``None`` when it is none of them."""
    for code, label in getattr(field, "flatchoices", None) or getattr(field, "choices", None) or ():
        if code == value and not isinstance(label, (list, tuple)):
            return str(label)
    return None


def role_label(code: str | None) -> str:
    """A role code as its Chinese name ("auditor" → 安全审计员); an unknown code as recorded."""
    if not code:
        return ""
    try:
        return str(Role(code).label)
    except ValueError:
        return str(code)


# Keys shown first, in this order; the rest follow by key.
_LEADING = {"from": 0, "to": 1}


class _Labels:
    """Names the keys and values of the entries of one page, with what they need loaded once for the page."""

    def __init__(self) -> None:
        self._offices: dict[str, str] | None = None

    def office(self, code) -> str:
        if self._offices is None:
            office = _model("credit.office")
            self._offices = dict(office.objects.values_list("code", "name")) if office is not None else {}
        return self._offices.get(code, str(code))

    # -- keys ----------------------------------------------------------------------------------------------------

    def key(self, key, value, model, parent: str | None = None) -> str:
        if parent in NESTED_LABELS:
            return str(NESTED_LABELS[parent].get(key, key))
        if parent == "filters":
            field = AuditFilterForm.base_fields.get(key)
            return str(field.label) if field is not None else str(key)
        if parent == "changes":
            return field_label(model, key)
        if key == "status" and isinstance(value, int) and not isinstance(value, bool):
            return str(_("响应状态码"))  # HTTP status of a refused request
        if key in DETAIL_LABELS:
            return str(DETAIL_LABELS[key])
        field = _field(model, key)
        return str(capfirst(field.verbose_name)) if field is not None else str(key)

    # -- values --------------------------------------------------------------------------------------------------

    def value(self, key, value, model, parent: str | None = None) -> str:
        if value is True:
            return str(_("是"))
        if value is False:
            return str(_("否"))
        if value is None or value == "":
            return "—"
        if isinstance(value, dict):
            return self._mapping(key, value, model, parent)
        if isinstance(value, (list, tuple)):
            return "、".join(self.value(key, item, model, parent) for item in value) or "—"
        if parent == "filters":
            return self._filter(key, value)
        if parent == "changes":  # a setting's old or new value
            coded = self._code(key, value, model)
            return str(DETAIL_VALUES["changes"].get(value, coded)) if coded == str(value) else coded
        if parent in NESTED_LABELS:
            return self._code(key, value, None)
        if key in FIELD_NAME_KEYS:
            return field_label(model, value)
        if key in ROLE_KEYS:
            return role_label(value)
        if key == "office":
            return self.office(value)
        if key == "offices":
            return str(value)
        if key == "reason":
            return self._reason(str(value), model)
        if key == "change" and isinstance(value, str):
            return _admin_message(value, model)
        return self._code(key, value, model)

    def _code(self, key, value, model) -> str:
        """A coded value: the choice of the object's field of that name, of the key's own list, of the field that
        the key names in another model; else as recorded."""
        own = _field(model, key) or (_field(model, "status") if key in STATUS_KEYS else None)
        label = _choice(own, value)
        if label is None and isinstance(value, str) and value in DETAIL_VALUES.get(key, {}):
            label = str(DETAIL_VALUES[key][value])
        if label is None and key in VALUE_FIELDS:
            model_label, name = VALUE_FIELDS[key]
            label = _choice(_field(_model(model_label), name), value)
        return label if label is not None else str(value)

    def _status(self, code: str, model) -> str | None:
        return _choice(_field(model, "status"), code) or _choice(_field(_model("credit.record"), "status"), code)

    def _reason(self, text: str, model) -> str:
        """A history reason is ``<new status>:<reason typed>`` (``core.workflow.transition``), ``change:<id>`` (a
        change request applied) or words; a session's or a purge's reason is a code."""
        code, sep, rest = text.partition(":")
        if sep and code == "change" and rest.isdigit():
            return _("依变更申请 #%(id)s 修改") % {"id": rest}
        status = self._status(code, model)
        if status is not None:
            return f"{status}：{rest}" if rest else status
        return str(DETAIL_VALUES["reason"].get(text, text))

    def _mapping(self, key, value: dict, model, parent) -> str:
        if set(value) in ({"from", "to"}, {"old", "new"}):
            # A before/after pair: of a role, of offices, of a setting (``changes``), of a status.
            before, after = (value["from"], value["to"]) if "from" in value else (value["old"], value["new"])
            old, new = self.value(key, before, model, parent), self.value(key, after, model, parent)
            return _("由 %(old)s 改为 %(new)s") % {"old": old, "new": new}
        return "；".join(
            f"{self.key(k, v, model, parent=key)}：{self.value(k, v, model, parent=key)}" for k, v in value.items()
        )

    def _filter(self, key, value) -> str:
        field = AuditFilterForm.base_fields.get(key)
        if key == "object_type":
            return object_type_label(value)
        label = _choice(field, value) if field is not None else None
        return label if label is not None else str(value)

    # -- one entry -----------------------------------------------------------------------------------------------

    def pairs(self, detail, object_type: str | None = None) -> list[tuple[str, str]]:
        if not detail:
            return []
        if not isinstance(detail, dict):
            return [("", str(detail))]
        model = _model(object_type)
        pairs = []
        # One order on every database (PostgreSQL's jsonb keeps an object's keys by length, not as written):
        # 原状态 before 新状态, then by key.
        items = sorted(detail.items(), key=lambda kv: (_LEADING.get(kv[0], len(_LEADING)), str(kv[0])))
        for key, value in items:
            if key == "reason" and value == f"{detail.get('to')}:":
                continue  # a transition's reason with no words ("approved:") says only what 新状态 says
            try:
                pairs.append((self.key(key, value, model), self.value(key, value, model)))
            except Exception:  # a shape nobody foresaw: shown as recorded rather than failing the page
                pairs.append((str(key), str(value)))
        return pairs


def _admin_message(text: str, model) -> str:
    """The admin's change message, written when the change was made with the English names of Django's own fields
    (Django logs them untranslated, e.g. "已修改 Last name"): with the Chinese names."""
    if model is None:
        return text
    names = _english_names(model, translation.get_language())
    for english in sorted(names, key=len, reverse=True):
        text = re.sub(rf"(?<![A-Za-z]){re.escape(english)}(?![A-Za-z])", names[english], text)
    return text


@cache
def _english_names(model: type[models.Model], language: str | None) -> dict[str, str]:
    """English verbose name → the name in ``language`` of ``model``'s fields that have one: worked out once per model
    and language, not for every admin entry of a page."""
    names = {}
    for field in model._meta.get_fields():
        if getattr(field, "verbose_name", None) is None:
            continue
        with translation.override(None):
            english = str(capfirst(field.verbose_name))
        shown = str(capfirst(field.verbose_name))
        if english != shown and english.isascii():
            names[english] = shown
    return names


def detail_pairs(detail, *, object_type: str | None = None) -> list[tuple[str, str]]:
    """An event's detail as (label, value) pairs readable on the page, instead of a Python dict: keys and coded values
    in Chinese (field names by the ``object_type`` model's verbose names), lists joined with 、."""
    return _Labels().pairs(detail, object_type)


def object_text(event: AuditEvent) -> str:
    """The 对象 column: the object's type by its model's name and its number, then how it read when logged (unless that
    says no more, as a record's "教师行政处罚 #72" does)."""
    if not event.object_type:
        return event.object_repr or ""
    head = object_type_label(event.object_type)
    if event.object_id:
        head = f"{head} #{event.object_id}"
    shown = event.object_repr or ""
    return head if not shown or shown == head else f"{head} {shown}"


def events_described(events) -> list[AuditEvent]:
    """``events`` with what the page shows in words: ``role_label``, ``object_text`` and ``detail_pairs``."""
    return list(iter_events_described(events))


def iter_events_described(events) -> Iterator[AuditEvent]:
    """``events_described`` one event at a time (the CSV export streams up to 200,000), the labels looked up once."""
    labels = _Labels()
    for event in events:
        event.role_label = role_label(event.role)
        event.object_text = object_text(event)
        event.detail_pairs = labels.pairs(event.detail, event.object_type)
        yield event
