"""Seed the penalty publicity-period rules (NDRC Order No. 58 as implemented locally): every category 3 months to
3 years; the 特种设备, 安全生产 and 消防 sectors at least one year. The system admin edits them in the admin."""

from django.db import migrations

# The national 处罚类别 code table (publicity.models.publications.PENALTY_CATEGORIES, frozen here as migrations must).
CATEGORIES = [
    "警告",
    "通报批评",
    "罚款",
    "没收违法所得",
    "没收非法财物",
    "暂扣许可证件",
    "降低资质等级",
    "吊销许可证件",
    "限制开展生产经营活动",
    "责令停产停业",
    "责令关闭",
    "限制从业",
    "行政拘留",
    "其他",
]
BASIS = "《失信行为纠正后的信用信息修复管理办法（试行）》（国家发展改革委令第58号）：最短三个月，最长三年"
SECTOR_BASIS = "同上：涉及特种设备、安全生产、消防领域的行政处罚，最短公示期一年"
SECTORS = ["特种设备", "安全生产", "消防"]


def seed(apps, schema_editor):
    Rule = apps.get_model("publicity", "PublicityPeriodRule")
    for category in CATEGORIES:
        Rule.objects.get_or_create(
            penalty_category=category, severity="", sector="", defaults={"min_months": 3, "max_months": 36, "basis": BASIS}
        )
    for sector in SECTORS:
        Rule.objects.get_or_create(
            penalty_category="",
            severity="",
            sector=sector,
            defaults={"min_months": 12, "max_months": 36, "basis": SECTOR_BASIS},
        )


def unseed(apps, schema_editor):
    apps.get_model("publicity", "PublicityPeriodRule").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("publicity", "0010_period_rules_repairs_corrections")]
    operations = [migrations.RunPython(seed, unseed)]
