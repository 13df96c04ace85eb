"""Annex 2's eight indicators for 2026 (the plan's year) and the current year, read from the catalog."""

import datetime

from django.db import migrations


def create(apps, schema_editor):
    from credit.catalog import load_catalog
    from oversight.indicators import create_indicators, indicator_specs

    Office = apps.get_model("credit", "Office")
    Indicator = apps.get_model("oversight", "Indicator")
    IndicatorOffice = apps.get_model("oversight", "IndicatorOffice")
    business = Office.objects.filter(items__isnull=False).distinct().order_by("id").values_list("code", flat=True)
    specs = indicator_specs(load_catalog(), list(business))
    offices = {o.code: o for o in Office.objects.all()}
    for year in sorted({2026, datetime.date.today().year}):
        create_indicators(
            year=year, specs=specs, Indicator=Indicator, IndicatorOffice=IndicatorOffice, offices_by_code=offices
        )


class Migration(migrations.Migration):
    dependencies = [
        ("credit", "0002_load_catalog"),
        ("oversight", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
