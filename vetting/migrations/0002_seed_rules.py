"""Seed the credit check's rules from the item catalogue as it stood (frozen here, as migrations must be): every
失信信息 item counts (penalties, items with 双公示 publication, only while published), then the black list and every
external list. The system admin edits them afterwards."""

from django.db import migrations

# (item no, within publicity): the catalogue's 失信信息 items; the penalties (double_publicity_penalty) count only
# while their publication is live.
NEGATIVE_ITEMS = [(2, True), (8, True), (9, False), (10, False)]
LOOKBACK_YEARS = 5  # the items' validity (有效期限 五年)


def seed(apps, schema_editor):
    Item = apps.get_model("credit", "Item")
    CheckRule = apps.get_model("vetting", "CheckRule")
    for no, within in NEGATIVE_ITEMS:
        item = Item.objects.filter(no=no).first()
        if item is None:
            continue
        CheckRule.objects.get_or_create(
            source="records",
            item=item,
            list_name="",
            defaults={
                "lookback_years": LOOKBACK_YEARS,
                "within_publicity": within,
                "note": "行政处罚：仅计在信用信息专栏公示期内的" if within else "审核通过且在有效期内的失信记录",
            },
        )
    CheckRule.objects.get_or_create(
        source="black_list", item=None, list_name="", defaults={"lookback_years": 0, "note": "公示中的黑名单"}
    )
    CheckRule.objects.get_or_create(
        source="external",
        item=None,
        list_name="",
        defaults={"lookback_years": 0, "note": "导入的省级、国家级失信名单中未到截止日期的条目"},
    )


class Migration(migrations.Migration):
    dependencies = [("vetting", "0001_credit_checks"), ("credit", "0002_load_catalog")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
