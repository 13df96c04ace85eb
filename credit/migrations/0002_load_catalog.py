"""Load the eleven offices and the ten Annex 1 items with every attribute and data item from the catalogue, as
frozen in ``0002_load_catalog.json`` when this migration was written (see credit/catalog/operations.py)."""

from django.db import migrations

from credit.catalog.operations import SyncCatalog, frozen_catalog, sync_catalog


def load_catalog(apps, schema_editor):
    # Also called by the browser tests to reload the catalogue after a flush.
    sync_catalog(apps, frozen_catalog(__file__))


class Migration(migrations.Migration):
    dependencies = [("credit", "0001_initial")]

    operations = [SyncCatalog(__file__)]
