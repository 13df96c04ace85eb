"""Run in a fresh process with ``DJANGO_SETTINGS_MODULE=tests.item_twelve.settings``: generate the twelfth item's
migrations the way a developer would (``makemigrations`` plus the one-line ``SyncCatalog`` data migration), migrate
the database (a new one, or with ``ITEM_TWELVE_BASE_DB`` a copy of an installation's SQLite database that holds every
other migration: the upgrade a bureau adding the item runs), then use the item end to end and print what the rest of the portal derived for it, as JSON."""

from __future__ import annotations

import io
import json
import os
import shutil
import sys
from pathlib import Path

import django


def _write_data_migration(directory: Path, credit_leaf: str) -> None:
    # The developer's data migration: one operation, over a frozen copy of the catalogue committed beside it.
    from credit.catalog import spec

    (directory / "0002_catalog_item_12.py").write_text(
        "from django.db import migrations\n\n"
        "from credit.catalog.operations import SyncCatalog\n\n\n"
        "class Migration(migrations.Migration):\n"
        f"    dependencies = [('item_twelve', '0001_initial'), ('credit', {credit_leaf!r})]\n\n"
        "    operations = [SyncCatalog(__file__)]\n",
        encoding="utf-8",
    )
    shutil.copyfile(spec.CATALOG_PATH, directory / "0002_catalog_item_12.json")


def main() -> dict:
    work = Path(os.environ["ITEM_TWELVE_DIR"])
    migrations_dir = work / "item_twelve_migrations"
    migrations_dir.mkdir(exist_ok=True)
    (migrations_dir / "__init__.py").write_text("", encoding="utf-8")
    sys.path.insert(0, str(work))
    django.setup()

    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    base = os.environ.get("ITEM_TWELVE_BASE_DB")
    if base:  # an installation with every other migration applied: a copy of the suite's migrated test database
        import sqlite3

        connection.ensure_connection()
        source = sqlite3.connect(f"file:{base}?mode=ro", uri=True)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    report: dict = {"migrated_from": "installation" if base else "empty"}
    out = io.StringIO()
    call_command("makemigrations", "item_twelve", stdout=out)
    report["schema_migrations"] = sorted(p.name for p in migrations_dir.glob("0*.py"))
    credit_leaf = MigrationLoader(connection).graph.leaf_nodes("credit")[0][1]
    _write_data_migration(migrations_dir, credit_leaf)
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=io.StringIO())
        report["further_model_changes"] = False
    except SystemExit:
        report["further_model_changes"] = True
    call_command("migrate", verbosity=0)
    report.update(_derived())
    report.update(_end_to_end())
    return report


def _derived() -> dict:
    from credit.demo import sample_values
    from credit.forms import form_for_item
    from credit.models import Item
    from credit.registry import model_for_item
    from publicity.services.publications import PENALTY_ITEMS, PUBLIC_ITEMS, RED_LIST_ITEMS
    from reporting import double_publicity
    from reporting.columns import NATURAL_KEYS, template_headers

    model = model_for_item(12)
    item = Item.objects.get(no=12)
    return {
        "model": model.__name__,
        "db_table": model._meta.db_table,
        "history_table": model.history.model._meta.db_table,
        "business_date_field": model.BUSINESS_DATE_FIELD,
        "subject_fields": [model.SUBJECT_NAME_FIELD, model.SUBJECT_ID_FIELD],
        "verbose_names": [str(model._meta.get_field(k).verbose_name) for k in model.field_keys()],
        "form_fields": list(form_for_item(12).base_fields),
        "template_headers": template_headers(12),
        "natural_key": list(NATURAL_KEYS[12]),
        "demo_values": sample_values(12, 3),
        "penalty_item": 12 in PENALTY_ITEMS,
        "public_item": 12 in PUBLIC_ITEMS,
        "red_list_item": 12 in RED_LIST_ITEMS,
        "gap_fields": list(double_publicity.GAP_FIELDS[12]),
        "penalty_source_fields": list(double_publicity.PENALTY_SOURCE_FIELDS[12]),
        "db_item": {
            "name": item.name,
            "publicity": item.publicity,
            "offices": [o.code for o in item.offices.all()],
            "fields": list(item.fields.order_by("position").values_list("key", flat=True)),
        },
    }


def _end_to_end() -> dict:
    """Enter, submit, approve and publish a record of the item through the services, then export its national row."""
    import datetime

    import openpyxl
    from django.utils import timezone

    from accounts.models import User
    from accounts.roles import Role
    from credit.demo import sample_values
    from credit.models import Item, Office
    from credit.services import records as services
    from publicity.services.publications import penalty_defaults, publication_publish
    from reporting.exporters import DoublePublicityPenaltyExporter, UploadTemplateExporter

    clerk = User.objects.create_user(username="clerk12", password="x-Pa55word!", role=Role.CLERK)
    clerk.offices.set([Office.objects.get(code="sheguan")])
    reviewer = User.objects.create_user(username="reviewer12", password="x-Pa55word!", role=Role.REVIEWER)
    item = Item.objects.get(no=12)
    day = timezone.localdate() - datetime.timedelta(days=3)
    record = services.record_create(item=item, user=clerk, data=sample_values(12, 1, day=day))
    record = services.record_submit(record=record, user=clerk)
    record = services.record_approve(record=record, user=reviewer)
    defaults = penalty_defaults(record)
    publication = publication_publish(
        record=record,
        user=reviewer,
        offence_type="违规开展学科类培训",
        penalty_basis="《校外培训行政处罚暂行办法》第十六条",
        penalty_category="警告",
    )
    rows = list(DoublePublicityPenaltyExporter(12, type(record).objects.filter(pk=record.pk)).rows())
    template = io.BytesIO()
    UploadTemplateExporter(item, type(record).objects.filter(pk=record.pk)).write(template)
    sheet = openpyxl.load_workbook(io.BytesIO(template.getvalue())).worksheets[0]
    return {
        "record_status": record.status,
        "due_date_after_business_date": record.due_date > record.business_date,
        "subject_name": record.subject.name if record.subject_id else "",
        "penalty_defaults": {k: str(v) for k, v in defaults.items()},
        "publication": {"document_number": publication.document_number, "content": publication.content},
        "national_row": rows[0] if rows else None,
        "upload_template_header": [c.value for c in next(sheet.iter_rows(max_row=1))],
    }


if __name__ == "__main__":
    print(json.dumps(main(), ensure_ascii=False))
