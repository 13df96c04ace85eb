"""Link the events written before the hash chain existed into it, in the order they were written (by id)."""

from django.db import migrations

from audit.chain import entry_digest

# The append-only trigger of migration 0001 (pgtrigger Protect): switched off for this one backfill only, by the
# owner role that runs the migrations; a migration cannot go through the application role's grants.
APPEND_ONLY_PGID = "pgtrigger_audit_event_append_only_27797"
CHUNK = 1000


def link_existing(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    alias = schema_editor.connection.alias
    events = AuditEvent.objects.using(alias)
    if not events.exists():
        return
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:
        schema_editor.execute(f"ALTER TABLE audit_auditevent DISABLE TRIGGER {APPEND_ONLY_PGID}")
    seq, previous, batch = 0, "", []
    for event in events.order_by("id").iterator(chunk_size=CHUNK):
        seq += 1
        event.seq, event.prev_hash = seq, previous
        event.entry_hash = previous = entry_digest(event)
        batch.append(event)
        if len(batch) >= CHUNK:
            events.bulk_update(batch, ["seq", "prev_hash", "entry_hash"])
            batch = []
    if batch:
        events.bulk_update(batch, ["seq", "prev_hash", "entry_hash"])
    if postgres:
        schema_editor.execute(f"ALTER TABLE audit_auditevent ENABLE TRIGGER {APPEND_ONLY_PGID}")


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_hash_chain_fields")]

    operations = [migrations.RunPython(link_existing, migrations.RunPython.noop)]
