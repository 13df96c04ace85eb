"""Red-list entries published before the catalogue named the bureau as the decision authority of the awards it makes
(``{bureau}``) carry the reporting office's name there. Put the bureau's name in, as a new approval now does; an entry
whose authority was corrected on an objection keeps its correction."""

import json

from django.conf import settings
from django.db import migrations

from credit.catalog.spec import CATALOG_PATH


def _bureau_items() -> list[int]:
    items = json.loads(CATALOG_PATH.read_text(encoding="utf-8"))["items"]
    return [
        item["no"]
        for item in items
        if item.get("publicity") == "red_list" and (item.get("publication") or {}).get("authority") == "{bureau}"
    ]


def forwards(apps, schema_editor):
    Publication = apps.get_model("publicity", "Publication")
    Publication.objects.filter(kind="red_list", item_no__in=_bureau_items(), corrected_at__isnull=True).exclude(
        authority=settings.BUREAU_NAME
    ).update(authority=settings.BUREAU_NAME)


class Migration(migrations.Migration):
    dependencies = [("publicity", "0011_seed_period_rules")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
