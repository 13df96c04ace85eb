"""Backfill when each record was first made public and first delivered, from the publicity column's publications and
the reporting ledger's delivered batches (historical models only: credit code imports neither app)."""

from django.db import migrations
from django.db.models import Min, OuterRef, Subquery


def backfill(apps, schema_editor):
    Record = apps.get_model("credit", "Record")
    Publication = apps.get_model("publicity", "Publication")
    BatchRecord = apps.get_model("reporting", "BatchRecord")
    published = Publication.objects.filter(record_id=OuterRef("pk"), published_at__isnull=False).values("published_at")
    Record.objects.filter(first_published_at__isnull=True, publication__published_at__isnull=False).update(
        first_published_at=Subquery(published[:1])
    )
    delivered = (
        BatchRecord.objects.filter(
            record_id=OuterRef("pk"), batch__status="delivered", batch__delivered_at__isnull=False
        )
        .order_by()
        .values("record_id")
        .annotate(first=Min("batch__delivered_at"))
        .values("first")
    )
    Record.objects.filter(
        first_delivered_at__isnull=True,
        batch_links__batch__status="delivered",
        batch_links__batch__delivered_at__isnull=False,
    ).update(first_delivered_at=Subquery(delivered[:1]))


class Migration(migrations.Migration):
    dependencies = [
        ("credit", "0014_record_first_published_and_delivered"),
        ("publicity", "0013_two_character_search_index"),
        ("reporting", "0017_deliver_licences_and_blacklist"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
