"""Two-character search on PostgreSQL: a GIN index on the bigrams of ``search_text``.

pg_trgm cannot serve a two-character pattern (``LIKE '%中学%'`` has no trigram), so such a search scanned the table.
``publicity_bigrams(text)`` returns the distinct two-character pieces of a text; an expression GIN index on it answers
``publicity_bigrams(search_text) @> ARRAY['中学']`` (``publicity.selectors.search_entries``) from the index, and the
LIKE that follows only rechecks those rows. An expression index needs no column of its own to keep up to date: every
write path (the services, bulk loads, COPY) is covered by the database. SQLite scans as before; nothing here runs there.
"""

from django.db import migrations

TABLES = [
    "publicity_publication",
    "publicity_licencedecision",
    "publicity_blacklistentry",
    "publicity_policydocument",
    "publicity_newsitem",
]

FUNCTION = """
CREATE OR REPLACE FUNCTION publicity_bigrams(t text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT COALESCE(array_agg(DISTINCT substr(t, i, 2)), '{}')
    FROM generate_series(1, char_length(t) - 1) AS i
$$
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    for table in TABLES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {table}_search_bigram ON {table} USING gin (publicity_bigrams(search_text))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search_bigram")
    schema_editor.execute("DROP FUNCTION IF EXISTS publicity_bigrams(text)")


class Migration(migrations.Migration):
    dependencies = [("publicity", "0012_red_list_authority_is_the_bureau")]

    operations = [migrations.RunPython(create, drop)]
