"""Search in one form: every stored ``search_text`` rebuilt in the form the search compares (and, on PostgreSQL, natural
persons' bigram column read from it).

The public search compares the stored text and the visitor's words in one form (``publicity.models.base.search_form``:
NFKC, so full-width digits and letters are half-width; every bracket ``()``; upper case; no whitespace), so that
洪教罚［２０２６］１３号 finds 洪教罚〔2026〕13号 and 育新学校(2分校) finds 育新学校（2分校）. Parts are joined by ``|``, and a
natural person's text is always ``NAME|DECISION NUMBER``: a person is found by what follows the separator. Migration
0014's ``person_number_bigrams`` held the bigrams of the decision number as typed (〔２０２６〕); it now holds those of
that part of the search text, so a two-character search finds a natural person's decision number in the same form.
The column is dropped before the rows are rewritten (no generated value computed twice) and added back after them.
"""

from django.db import migrations

from publicity.models.base import search_text_of

ENTRIES = ("Publication", "LicenceDecision", "BlackListEntry")
ARTICLES = ("PolicyDocument", "NewsItem")
TABLES = ["publicity_publication", "publicity_licencedecision", "publicity_blacklistentry"]
PERSON_NUMBER = "CASE WHEN subject_kind = 'natural' THEN split_part(search_text, '|', 2) END"
PERSON_NUMBER_0014 = "CASE WHEN subject_kind = 'natural' THEN document_number END"
BATCH = 2000


def entry_text(row) -> str:
    """``PublicEntryColumns.build_search_text`` (historical models have no methods)."""
    if row.subject_kind == "natural":
        return search_text_of(row.subject_name, row.document_number)
    return search_text_of(row.subject_name, row.public_code, row.document_number)


def article_text(row) -> str:
    """``publicity.services.content.article_save``'s search text."""
    return search_text_of(row.title, getattr(row, "document_number", ""))


def entry_text_0014(row) -> str:
    code = row.public_code if row.subject_kind == "legal" else ""
    return " | ".join(p for p in (row.subject_name, code, row.document_number) if p).upper()


def article_text_0014(row) -> str:
    return " | ".join(p for p in (row.title, getattr(row, "document_number", "")) if p).upper()


def rewrite(apps, schema_editor, texts) -> None:
    """Store ``texts[model](row)`` as each row's search text where it differs, a batch of rows at a time (by id, so
    that no query reads a table being written)."""
    for name, text_of in texts.items():
        model = apps.get_model("publicity", name)
        names = {f.name for f in model._meta.concrete_fields}
        fields = [f for f in ("subject_kind", "subject_name", "public_code", "document_number", "title") if f in names]
        quote = schema_editor.quote_name
        sql = f"UPDATE {quote(model._meta.db_table)} SET search_text = %s WHERE {quote(model._meta.pk.column)} = %s"
        last = 0
        while rows := list(model.objects.filter(pk__gt=last).order_by("pk").only("search_text", *fields)[:BATCH]):
            last = rows[-1].pk
            changed = [(text, row.pk) for row in rows if (text := text_of(row)) != row.search_text]
            if changed:
                with schema_editor.connection.cursor() as cursor:
                    cursor.executemany(sql, changed)


def person_number_column(schema_editor, expression: str | None) -> None:
    """Drop migration 0014's ``person_number_bigrams`` (``expression`` None) or add it back generated from
    ``expression``, with its GIN index (PostgreSQL only)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        if expression is None:
            schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS person_number_bigrams")
            continue
        schema_editor.execute(
            f"ALTER TABLE {table} ADD COLUMN person_number_bigrams text[] "
            f"GENERATED ALWAYS AS (publicity_bigrams({expression})) STORED"
        )
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {table}_person_number_bigrams ON {table} "
            f"USING gin (person_number_bigrams) WITH (fastupdate = off)"
        )
        schema_editor.execute(f"ANALYZE {table}")


def forwards(apps, schema_editor):
    person_number_column(schema_editor, None)
    rewrite(apps, schema_editor, {**dict.fromkeys(ENTRIES, entry_text), **dict.fromkeys(ARTICLES, article_text)})
    person_number_column(schema_editor, PERSON_NUMBER)


def backwards(apps, schema_editor):
    person_number_column(schema_editor, None)
    texts = {**dict.fromkeys(ENTRIES, entry_text_0014), **dict.fromkeys(ARTICLES, article_text_0014)}
    rewrite(apps, schema_editor, texts)
    person_number_column(schema_editor, PERSON_NUMBER_0014)


class Migration(migrations.Migration):
    dependencies = [("publicity", "0014_two_character_search_by_subject_kind")]

    operations = [migrations.RunPython(forwards, backwards)]
