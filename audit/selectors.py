"""Reading the audit log: the auditor's filtered view."""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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
        qs = qs.filter(object_type__icontains=filters["object_type"])
    if filters.get("object_id"):
        qs = qs.filter(object_id=filters["object_id"])
    if filters.get("q"):
        q = filters["q"]
        qs = qs.filter(Q(object_repr__icontains=q) | Q(path__icontains=q) | Q(ip__startswith=q))
    return qs.order_by("-at", "-id")


# How the log page names the keys of an event's detail; a key not listed is shown as recorded.
DETAIL_LABELS = {
    "reason": _("原因"),
    "rule": _("规则"),
    "item": _("事项"),
    "file": _("文件"),
    "rows": _("行数"),
    "errors": _("错误数"),
    "error": _("错误"),
    "via": _("途径"),
    "username": _("用户名"),
    "office": _("处室"),
    "changed_fields": _("修改的字段"),
    "fields": _("字段"),
    "status": _("状态"),
    "from": _("原状态"),
    "to": _("新状态"),
    "record": _("记录"),
    "records": _("记录"),
    "kind": _("类型"),
    "ip": _("来源地址"),
    "since": _("起始"),
    "stage": _("阶段"),
    "step": _("步骤"),
    "receipt": _("回执"),
    "retention_days": _("保留天数"),
    "role": _("角色"),
    "roles": _("角色"),
    "owner": _("所有者"),
    "expiry": _("到期时间"),
    "token_prefix": _("令牌前缀"),
    "token_action": _("令牌操作"),
    "token_id": _("令牌编号"),
    "activate_when_approved": _("批准后启用"),
    "all": _("全部"),
    "awaiting": _("待处理"),
    "batch_check": _("审查报告编号"),
    "breach_record": _("失信记录"),
    "candidates": _("候选人数"),
    "credit_report": _("信用报告编号"),
    "change": _("变更"),
    "changes": _("变更"),
    "commitments": _("承诺数"),
    "cutoff": _("截止时间"),
    "deleted": _("删除数"),
    "delivery": _("报送"),
    "entries": _("条目数"),
    "granted_by": _("授权人"),
    "known_account": _("已知账号"),
    "manual_upload": _("手工上传"),
    "nil_report": _("零报告"),
    "otp": _("双因素认证"),
    "page": _("页码"),
    "proposed_by": _("提出人"),
    "replaced": _("整体替换"),
    "self_service": _("本人操作"),
    "sha256": _("文件摘要（SHA-256）"),
    "with_hits": _("有失信信息的人数"),
}
DETAIL_VALUES = {
    # The personal data a view showed (``fields`` of view_personal_data).
    "identifier": _("证件号码"),
    "name": _("姓名"),
    "idle": _("空闲超时"),
    "absolute": _("超过最长登录时长"),
    "role_separation": _("三员分立角色隔离"),
    "draft": _("草稿"),
    "submitted": _("已提交"),
    "approved": _("已通过"),
    "returned": _("已退回"),
    "revoked": _("已撤销"),
    "withdrawn": _("已撤回"),
    "batch": _("报送批次"),
    "evidence": _("证明材料"),
    "status": _("状态"),
    "web": _("网页"),
    "command": _("管理命令"),
}


def role_label(code: str | None) -> str:
    """A role code as its Chinese name ("auditor" → 审计管理员); an unknown code as recorded."""
    if not code:
        return ""
    try:
        return str(Role(code).label)
    except ValueError:
        return code


def detail_pairs(detail) -> list[tuple[str, str]]:
    """An event's detail as (label, value) pairs readable on the page, instead of a Python dict."""
    if not detail:
        return []
    if not isinstance(detail, dict):
        return [("", str(detail))]
    pairs = []
    for key, value in detail.items():
        if isinstance(value, (list, tuple)):
            value = "、".join(_detail_value(v) for v in value)
        elif isinstance(value, dict):
            value = "；".join(f"{k}：{_detail_value(v)}" for k, v in value.items())
        else:
            value = _detail_value(value)
        pairs.append((str(DETAIL_LABELS.get(key, key)), value))
    return pairs


def _detail_value(value) -> str:
    if value is True:
        return str(_("是"))
    if value is False:
        return str(_("否"))
    if value is None:
        return "—"
    text = str(value)
    if text in DETAIL_VALUES:
        return str(DETAIL_VALUES[text])
    return role_label(text) if text in Role.values else text
