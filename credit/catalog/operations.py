"""Loading the catalogue into the database (offices, ``Item``, ``ItemField``) from migrations.

A migration must keep meaning what it meant when it was written, so it never reads the live ``catalog.json``: it
loads a *frozen copy* committed beside it (``0002_load_catalog.json`` next to ``0002_load_catalog.py``). A new item's
data migration is then one line::

    operations = [SyncCatalog(__file__)]  # loads 00NN_<name>.json, a copy of credit/catalog/catalog.json

``sync_catalog`` is idempotent: it creates or updates what the copy declares (items by number, offices by code, an
item's fields by position) and deletes nothing else, so running it again, or after an older copy, is safe.
"""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path

from django.db import migrations


def frozen_catalog(migration_file: str | Path) -> dict:
    """The frozen catalogue committed beside a migration (same name, ``.json``)."""
    return json.loads(Path(migration_file).with_suffix(".json").read_text(encoding="utf-8"))


def sync_catalog(apps, spec: dict) -> None:
    """Create or update the offices and items of ``spec`` (a catalogue as stored) with the historical models."""
    Office = apps.get_model("credit", "Office")
    Item = apps.get_model("credit", "Item")
    ItemField = apps.get_model("credit", "ItemField")
    offices = {}
    for o in spec["offices"]:
        offices[o["code"]], _ = Office.objects.update_or_create(
            code=o["code"], defaults={"name": o["name"], "name_en": o["en"]}
        )
    for entry in spec["items"]:
        any_office = not isinstance(entry["offices"], list)
        deadline = entry["deadline"]
        item, _ = Item.objects.update_or_create(
            no=entry["no"],
            defaults={
                "name": entry["name"],
                "name_en": entry["en"],
                "subject_type": entry["subject_type"],
                "info_category": entry["info_category"],
                "sharing_scope": entry["sharing_scope"],
                "validity": entry["validity"],
                "validity_years": 5 if entry["validity"] == "五年" else 0,
                "offices_text": entry["offices_text"],
                "any_office": any_office,
                "deadline_text": entry["deadline_text"],
                "deadline_kind": deadline["kind"],
                "deadline_days": deadline.get("days"),
                "deadline_from": deadline.get("from", ""),
                "publicity": entry.get("publicity", ""),
            },
        )
        item.offices.set([] if any_office else [offices[code] for code in entry["offices"]])
        ItemField.objects.filter(item=item).delete()
        ItemField.objects.bulk_create(
            ItemField(
                item=item,
                position=position,
                key=field["key"],
                name=field["name"],
                type=field["type"],
                required=field.get("required", False),
                values=field.get("values", []),
                rule=field.get("rule", ""),
            )
            for position, field in enumerate(entry["fields"], start=1)
        )


def _run(apps, schema_editor, *, spec: dict) -> None:
    sync_catalog(apps, spec)


class SyncCatalog(migrations.RunPython):
    """The migration operation loading the frozen catalogue beside ``migration_file`` (reversible as a no-op)."""

    def __init__(self, migration_file: str | Path) -> None:
        self.spec = frozen_catalog(migration_file)
        super().__init__(partial(_run, spec=self.spec), migrations.RunPython.noop)
