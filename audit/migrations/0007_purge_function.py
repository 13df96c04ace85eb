"""PostgreSQL: the retention purge as a ``SECURITY DEFINER`` function owned by the role that runs the migrations.

The application role has no DELETE on the audit table (``manage.py setup_db_roles``); the only deletion it can cause
is calling this function, which deletes the prefix of the chain older than at least 180 days (等保2.0: six months),
and records where the chain now starts (``audit_auditchaincheckpoint``). Nothing on SQLite, where
``audit.services.audit_purge`` does the same in Python.
"""

from django.db import migrations

from audit.chain import CHAIN_LOCK_KEY

MINIMUM_RETENTION_DAYS = 180
APPEND_ONLY_PGID = "pgtrigger_audit_event_append_only_27797"

FUNCTION = """
CREATE OR REPLACE FUNCTION audit_purge_expired(retention_days integer)
RETURNS TABLE (deleted bigint, last_seq bigint, last_hash varchar)
LANGUAGE plpgsql
SECURITY DEFINER
-- pg_catalog first: no object the caller may create can stand in for a built-in such as clock_timestamp().
SET search_path = pg_catalog, {schema}, pg_temp
AS $function$
DECLARE
    cutoff timestamptz;
    first_kept bigint;
    last_row record;
    removed bigint;
    previous_ignore text;
BEGIN
    IF retention_days IS NULL OR retention_days < {minimum} THEN
        RAISE EXCEPTION 'audit events are kept at least {minimum} days, not %', retention_days;
    END IF;
    cutoff := clock_timestamp() - make_interval(days => retention_days);
    -- The same lock as every append (audit.chain.lock_chain): the head does not move while we cut the tail.
    PERFORM pg_advisory_xact_lock({lock_key});
    -- Only a prefix of the chain goes: everything before the first event that is still within the retention period.
    SELECT e.seq INTO first_kept FROM audit_auditevent e WHERE e.at >= cutoff ORDER BY e.seq LIMIT 1;
    SELECT e.seq, e.entry_hash INTO last_row FROM audit_auditevent e
        WHERE e.at < cutoff AND (first_kept IS NULL OR e.seq < first_kept)
        ORDER BY e.seq DESC LIMIT 1;
    IF last_row.seq IS NULL THEN
        RETURN QUERY SELECT 0::bigint, NULL::bigint, NULL::varchar;
        RETURN;
    END IF;
    -- The owner's own append-only trigger, lifted for this statement inside this function only.
    previous_ignore := current_setting('pgtrigger.ignore', true);
    PERFORM set_config('pgtrigger.ignore', '{{{pgid}}}', true);
    DELETE FROM audit_auditevent e WHERE e.seq <= last_row.seq;
    GET DIAGNOSTICS removed = ROW_COUNT;
    PERFORM set_config('pgtrigger.ignore', coalesce(nullif(previous_ignore, ''), '{{}}'), true);
    INSERT INTO audit_auditchaincheckpoint (seq, entry_hash, cutoff, created_at)
        VALUES (last_row.seq, last_row.entry_hash, cutoff, clock_timestamp());
    RETURN QUERY SELECT removed, last_row.seq, last_row.entry_hash::varchar;
END;
$function$;
REVOKE ALL ON FUNCTION audit_purge_expired(integer) FROM PUBLIC;
"""


def create_function(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        schema = cursor.fetchone()[0]
    sql = FUNCTION.format(
        schema=connection.ops.quote_name(schema),
        minimum=MINIMUM_RETENTION_DAYS,
        lock_key=CHAIN_LOCK_KEY,
        pgid=APPEND_ONLY_PGID,
    )
    with connection.cursor() as cursor:  # no parameters: the '%' in RAISE stays as it is
        cursor.execute(sql)


def drop_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS audit_purge_expired(integer)")


class Migration(migrations.Migration):
    dependencies = [("audit", "0006_hash_chain_required")]

    operations = [migrations.RunPython(create_function, drop_function)]
