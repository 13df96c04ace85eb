"""The semiannual delivery schedule (一年两次), derived from the configured due dates.

One beat entry per semiannual item of the catalogue (``deadline.kind``), named after the item. The rule: the
semiannual report of each such item is delivered at 02:00 Beijing time on one day of each month that holds a
due date (``SEMIANNUAL_DUE_DATES``); that day is the earliest due date's day of month minus
``REPORTING_SEMIANNUAL_LEAD_DAYS`` (at least the 1st), so every period's report leaves at least that many days before
its due date. With the defaults (30 June, 31 December; ten days) it runs on 20 June and 20 December.

The migrations seed the beat entries from this; after changing the due dates or the lead, or adding a semiannual item,
``manage.py sync_semiannual_schedule`` brings the entries up to date (the system admin may also edit them in the
admin).
"""

from __future__ import annotations

import json

from django.conf import settings

from credit.catalog import SEMIANNUAL, ItemSpec

SEMIANNUAL_TASK = "reporting.tasks.deliver_semiannual"
SEMIANNUAL_HOUR = "2"
TIMEZONE = "Asia/Shanghai"


def semiannual_task_name(item: ItemSpec) -> str:
    """The beat entry's name of an item's semiannual delivery (e.g. 报送：其他类教师资格信息半年报送)."""
    return f"报送：{item.name}半年报送"


def semiannual_items() -> tuple[ItemSpec, ...]:
    return ItemSpec.items_with(deadline_kind=SEMIANNUAL)


def semiannual_crontab(due_dates: list[tuple[int, int]] | None = None, lead_days: int | None = None) -> dict[str, str]:
    """The crontab fields (minute, hour, day_of_month, month_of_year, day_of_week) of the semiannual delivery."""
    due_dates = sorted(settings.SEMIANNUAL_DUE_DATES if due_dates is None else due_dates)
    lead_days = settings.REPORTING_SEMIANNUAL_LEAD_DAYS if lead_days is None else lead_days
    day = max(1, min(dom for _month, dom in due_dates) - lead_days)
    months = sorted({month for month, _dom in due_dates})
    return {
        "minute": "0",
        "hour": SEMIANNUAL_HOUR,
        "day_of_month": str(day),
        "month_of_year": ",".join(str(m) for m in months),
        "day_of_week": "*",
    }


def semiannual_description(
    crontab: dict[str, str], due_dates: list[tuple[int, int]] | None = None, *, item: ItemSpec
) -> str:
    due_dates = sorted(settings.SEMIANNUAL_DUE_DATES if due_dates is None else due_dates)
    runs = "、".join(f"{m} 月 {crontab['day_of_month']} 日" for m in crontab["month_of_year"].split(","))
    dues = "、".join(f"{m} 月 {d} 日" for m, d in due_dates)
    return (
        f"每年 {runs} {int(crontab['hour']):02d}:00 生成事项 {item.no}（一年两次）的全量报送批次并报送，早于 {dues} 截止日"
        f"（由 SEMIANNUAL_DUE_DATES 与 REPORTING_SEMIANNUAL_LEAD_DAYS 推导）。"
    )


def semiannual_schedule_sync(crontab_model, periodic_task_model, *, only_if_crontab: dict | None = None) -> bool:
    """Point each semiannual item's beat entry at the crontab derived from the settings (creating it if missing).

    ``only_if_crontab``: change an existing entry only while its crontab still has these fields (the migration uses it
    to leave an entry the admin has edited alone). Returns whether anything changed. Takes the models as arguments so
    migrations can pass their historical ones.
    """
    fields = semiannual_crontab()
    schedule, _created = crontab_model.objects.get_or_create(timezone=TIMEZONE, **fields)
    changed = False
    for item in semiannual_items():
        changed |= _sync_entry(periodic_task_model, item, schedule, fields, only_if_crontab)
    return changed


def _sync_entry(periodic_task_model, item: ItemSpec, schedule, fields: dict, only_if_crontab: dict | None) -> bool:
    name = semiannual_task_name(item)
    task = periodic_task_model.objects.filter(name=name).select_related("crontab").first()
    description = semiannual_description(fields, item=item)
    kwargs = json.dumps({"item_no": item.no})
    if task is None:
        periodic_task_model.objects.create(
            name=name, task=SEMIANNUAL_TASK, kwargs=kwargs, crontab=schedule, enabled=True, description=description
        )
        return True
    if only_if_crontab is not None and (
        task.crontab is None or any(str(getattr(task.crontab, k)) != str(v) for k, v in only_if_crontab.items())
    ):
        return False
    if task.crontab_id == schedule.pk and task.description == description and task.kwargs == kwargs:
        return False
    task.crontab, task.description, task.kwargs = schedule, description, kwargs
    task.save(update_fields=["crontab", "description", "kwargs"])
    return True
