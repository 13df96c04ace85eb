"""Seed the credit evaluation's rules from the item catalogue as it stood (frozen here), and the nightly recompute.

Organisations (社会法人) only: each approved, in-force 失信 record of an organisation item deducts points (penalties
20 within 3 years, fraud to obtain a qualification 40 within 5), each recognition adds 5 (at most twice), a live
black-list entry deducts 40 and a broken commitment 10 (within 3 years). The system admin edits them afterwards."""

from django.db import migrations

# (factor, item no or None, points, window years, cap, note)
RULES = [
    ("records", 2, -20, 3, 0, "行政处罚（学校、办学机构）"),
    ("records", 10, -40, 5, 0, "弄虚作假、骗取专业机构资格"),
    ("records", 4, 5, 5, 2, "市级示范性学校认定"),
    ("records", 6, 5, 5, 2, "先进集体"),
    ("black_list", None, -40, 0, 0, "列入黑名单"),
    ("broken_commitment", None, -10, 3, 0, "信用承诺失信"),
]
TASK_NAME = "vetting: 信用评价每日重算"


def seed(apps, schema_editor):
    Item = apps.get_model("credit", "Item")
    EvaluationRule = apps.get_model("vetting", "EvaluationRule")
    for factor, no, points, window, cap, note in RULES:
        item = Item.objects.filter(no=no).first() if no else None
        if no and item is None:
            continue
        EvaluationRule.objects.get_or_create(
            factor=factor, item=item, defaults={"points": points, "window_years": window, "cap": cap, "note": note}
        )
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    schedule, _ = CrontabSchedule.objects.get_or_create(
        timezone="Asia/Shanghai", minute="30", hour="2", day_of_week="*", day_of_month="*", month_of_year="*"
    )
    PeriodicTask.objects.update_or_create(
        name=TASK_NAME,
        defaults={"task": "vetting.tasks.recompute_evaluations", "crontab": schedule, "enabled": True},
    )


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=TASK_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("vetting", "0005_credit_evaluations"),
        ("credit", "0002_load_catalog"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(seed, remove)]
