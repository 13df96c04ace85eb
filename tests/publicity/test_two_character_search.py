"""Two-character Chinese search (中学, 晓明): on PostgreSQL served by the bigram GIN index (pg_trgm has no trigram of a
two-character term), with exactly the entries whose name contains the term; SQLite keeps the plain LIKE."""

import re

import pytest
from django.db import connection

from credit.models import SubjectKind
from publicity import selectors
from publicity.models import Publication
from tests.publicity.bulk import load_entries


def _explain(qs) -> str:
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")  # few rows here: rule the b-tree walk out, see the GIN serve
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.fixture
def many(build):
    load_entries(3000, user=build.reviewer)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE publicity_publication")


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.parametrize("term", ["晓明", "育新", "（1"])
def test_two_character_search_uses_the_bigram_index_and_finds_exactly_the_matches(many, term, settings):
    # Natural persons by name too ("晓明"): by default they are found only with their ID's last 4 or decision number.
    settings.PUBLICITY_NAME_SEARCH_NATURAL_PERSONS = True
    found = selectors.search_entries(selectors.PENALTIES, term).union(
        selectors.search_entries(selectors.RED_LIST, term)
    )
    public = set(selectors.public_entries(selectors.PENALTIES).values_list("pk", flat=True))
    public |= set(selectors.public_entries(selectors.RED_LIST).values_list("pk", flat=True))
    stored = selectors.normalize_term(term)  # the form of search_text: （1 is stored (1
    expected = {p.pk for p in Publication.objects.filter(pk__in=public) if stored in p.search_text}
    assert expected and {p.pk for p in found} == expected
    # The search predicate alone (on a few thousand rows the planner may start from another table for the whole query).
    plan = _explain(selectors._contains(Publication.objects.order_by(), stored))
    # A term with a digit or a Latin letter ("（1") has a trigram too: the planner may take either GIN index, as the
    # table's statistics of the moment say; a Chinese pair has only its bigram.
    indexes = ["publicity_publication_search_bigram"]
    if re.search(r"[0-9A-Za-z]", term):
        indexes.append("publicity_publication_search_trgm")
    assert any(index in plan for index in indexes), plan


@pytest.mark.postgres
@pytest.mark.django_db
def test_every_public_table_has_its_bigram_index():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE '%%_search_bigram'")
        names = {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT publicity_bigrams('南昌中学')")
        assert sorted(cursor.fetchone()[0]) == sorted(["南昌", "昌中", "中学"])
    assert len(names) == 5


@pytest.mark.django_db
def test_two_character_search_on_any_database(build):
    pub = build.penalty(2)
    term = pub.subject_name[-2:]
    assert pub.pk in {p.pk for p in selectors.search_entries(selectors.PENALTIES, term)}
    assert not selectors.search_entries(selectors.PENALTIES, "镑镒").exists()


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.parametrize("term", ["晓明", "育新", "教奖"])
def test_without_names_of_natural_persons_each_branch_has_its_own_bigram_index(many, term):
    # The default: organisations by anything in their search text, natural persons by their decision number only. A
    # common given name (晓明) finds no one, and neither branch reads the other's rows (migration 0014's columns).
    rewarded = list(Publication.objects.filter(subject_kind=SubjectKind.NATURAL).order_by("pk")[:3])
    for pub in rewarded:
        pub.document_number = f"洪教奖〔2026〕{pub.pk}号"
        pub.search_text = pub.build_search_text()
        pub.save(update_fields=["document_number", "search_text"])
    found = {p.pk for s in (selectors.PENALTIES, selectors.RED_LIST) for p in selectors.search_entries(s, term)}
    public = set(selectors.public_entries(selectors.PENALTIES).values_list("pk", flat=True))
    public |= set(selectors.public_entries(selectors.RED_LIST).values_list("pk", flat=True))
    expected = {
        p.pk
        for p in Publication.objects.filter(pk__in=public)
        if term in (p.document_number if p.subject_kind == SubjectKind.NATURAL else p.search_text)
    }
    assert found == expected
    named = Publication.objects.filter(subject_kind=SubjectKind.NATURAL, subject_name__contains=term).exists()
    assert {"晓明": not found and named, "育新": bool(found), "教奖": found == {p.pk for p in rewarded}}[term]
    plan = _explain(selectors._in_either_branch(Publication.objects.order_by(), [term]))
    assert "publicity_publication_org_bigrams" in plan and "publicity_publication_person_number_bigrams" in plan, plan
