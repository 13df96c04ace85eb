"""The public search compares in one form (``publicity.models.base.search_form``): full-width digits and letters match
half-width ones, every bracket matches every other (〔〕 [] ［］ () （） 【】), and each word of a query is required
(南昌市 育新学校). The search page, the list pages' filter and the open-data API all search so; the term rules (two
characters at least, cut at ``MAX_TERM``) hold, and migration 0015 rewrites what was stored before."""

import importlib
import types

import pytest
from django.apps import apps
from django.db import connection

from publicity import pagecache, selectors
from publicity.models import BlackListEntry, LicenceDecision, PolicyDocument, Publication

pytestmark = pytest.mark.django_db

BRACKETS = ["〔〕", "[]", "［］", "()", "（）", "【】"]
SECTION_OF = {Publication: "penalties", LicenceDecision: "licences", BlackListEntry: "black-list"}


def full_width(text: str) -> str:
    """``text`` with its ASCII digits, letters and signs typed full-width (as a Chinese input method gives them)."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def bracketed(number: str, pair: str) -> str:
    """A decision number written with the brackets ``pair`` around its year (洪教罚〔2026〕13号 → 洪教罚[2026]13号)."""
    return number.replace("〔", pair[0]).replace("〕", pair[1])


def _section(entry) -> str:
    return SECTION_OF[type(entry)]


def found_everywhere(client, entry, q: str) -> dict[str, bool]:
    """Whether ``q`` finds ``entry`` on /search/, its list page's filter and the JSON open-data API."""
    section = _section(entry)
    path = f"/{section}/{entry.pk}/"
    api = client.get(f"/api/v1/public/{section}/", {"q": q})
    assert api.status_code == 200
    return {
        "search": path in client.get("/search/", {"q": q}).content.decode(),
        "list": path in client.get(f"/{section}/", {"q": q}).content.decode(),
        "api": entry.pk in [row["id"] for row in api.json()["results"]],
    }


def found(entry, q: str) -> bool:
    return selectors.search_entries(_section(entry), q).filter(pk=entry.pk).exists()


def test_full_width_digits_and_letters_find_the_decision_number_and_the_credit_code(build, client):
    pub = build.penalty(2)  # 洪教罚〔2026〕<n>号, a school's credit code (digits and capitals)
    for q in (full_width(pub.document_number), full_width(pub.public_code), full_width(pub.public_code.lower())):
        assert found_everywhere(client, pub, q) == {"search": True, "list": True, "api": True}, q


@pytest.mark.parametrize("typed", BRACKETS)
def test_any_brackets_find_the_decision_number(build, client, typed):
    pub = build.penalty(2)
    assert "〔" in pub.document_number
    assert found_everywhere(client, pub, bracketed(pub.document_number, typed)) == {
        "search": True,
        "list": True,
        "api": True,
    }
    assert found(pub, full_width(bracketed(pub.document_number, typed)))


@pytest.mark.parametrize("stored", ["[]", "（）", "【】", "［］"])
def test_a_decision_number_stored_with_other_brackets_is_found_with_any(build, stored):
    pub = build.penalty(2)
    number = pub.document_number
    pub.document_number = bracketed(number, stored)
    pub.save()
    for typed in BRACKETS:
        assert found(pub, bracketed(number, typed)), (stored, typed)
    assert not found(pub, number.replace("2026", "2025"))


def test_a_natural_persons_decision_number_is_found_with_any_brackets_and_full_width_digits(build, client):
    black = build.blacklist()  # a natural person: found by the decision number, not by name alone
    assert black.subject_kind == "natural"
    number = black.document_number
    for typed in BRACKETS:
        assert found(black, bracketed(number, typed)), typed
        assert found(black, full_width(bracketed(number, typed))), typed
    assert found_everywhere(client, black, full_width(bracketed(number, "[]"))) == {
        "search": True,
        "list": True,
        "api": True,
    }
    # Still not by name alone, nor by a decision-number fragment that is in the name only.
    assert not found(black, black.subject_name)
    # The name with the ID's last four, or with the decision number in any brackets: as before.
    assert found(black, f"{black.subject_name} {black.public_code[-4:]}")
    assert found(black, f"{black.subject_name} {bracketed(number, '（）')}")
    assert not found(black, f"{black.subject_name} 0000")


def test_an_organisation_typed_with_ascii_brackets_or_in_two_words_is_found(build, client):
    lic = build.licence(name="南昌市育新学校（2分校）")
    for q in ("育新学校(2分校)", "育新学校（２分校）", "育新学校[2分校]", "南昌市 育新学校", "育新学校　南昌市"):
        assert found_everywhere(client, lic, q) == {"search": True, "list": True, "api": True}, q
    # Every word is required.
    for q in ("南昌市 启航学校", "育新学校 (3分校)"):
        assert found_everywhere(client, lic, q) == {"search": False, "list": False, "api": False}, q


def test_words_are_matched_however_the_stored_name_was_spaced(build):
    lic = build.licence(name="南昌市 育新学校")
    assert found(lic, "南昌市育新学校") and found(lic, "市育新")


def test_policies_are_found_by_their_number_in_any_brackets(build, client):
    build.policy()
    for q in ("洪教字[2026]8号", "洪教字（２０２６）８号", "信用修复 管理办法"):
        assert "信用修复管理办法" in client.get("/search/", {"q": q}).content.decode(), q


def test_term_rules_hold(build, client):
    build.penalty(2)
    assert selectors.normalize_term("南") == ""
    assert selectors.normalize_term("Ｎ") == ""
    assert selectors.normalize_term("南 昌") == ""  # only one-character words: the whole table
    assert selectors.normalize_term("南昌 市") == "南昌 市"  # one-character words count beside a longer one
    assert selectors.normalize_term("洪教罚［２０２６］１３号") == "洪教罚(2026)13号"
    assert selectors.normalize_term("a\x00b") == "AB"
    assert "请至少输入两个字符" in client.get("/search/", {"q": "南"}).content.decode()
    assert "请至少输入两个字符" in client.get("/penalties/", {"q": "南"}).content.decode()
    long = full_width("1" * (selectors.MAX_TERM + 20))
    assert len(selectors.normalize_term(long)) == selectors.MAX_TERM and selectors.term_was_cut(long)
    assert not selectors.term_was_cut(full_width("1" * selectors.MAX_TERM))
    assert "搜索词过长" in client.get("/search/", {"q": long}).content.decode()
    assert "搜索词过长" in client.get("/penalties/", {"q": long}).content.decode()


def _schema_editor():
    """What migration 0015 uses of a schema editor, on the test's own connection and transaction."""
    if connection.vendor == "postgresql":  # the test's inserts leave deferred foreign-key checks, which ALTER refuses
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    return types.SimpleNamespace(
        connection=connection,
        quote_name=connection.ops.quote_name,
        execute=lambda sql: connection.cursor().execute(sql),
    )


def test_migration_0015_rewrites_search_text_stored_before(build, client):
    step = importlib.import_module("publicity.migrations.0015_search_text_in_one_form")
    pub, black = build.penalty(2), build.blacklist()
    lic = build.licence(name="南昌市育新学校（2分校）")
    build.policy(title="信用修复管理办法", body="……")
    new_form = {
        model: dict(model.objects.values_list("pk", "search_text"))
        for model in (Publication, LicenceDecision, BlackListEntry, PolicyDocument)
    }
    step.backwards(apps, _schema_editor())  # as stored before 0015
    pub.refresh_from_db()
    assert pub.search_text == f"{pub.subject_name} | {pub.public_code} | {pub.document_number}".upper()
    pagecache.everything_changed()
    assert not found(lic, "育新学校(2分校)")

    step.forwards(apps, _schema_editor())
    pagecache.everything_changed()  # what ``migrate`` does after its migrations (post_migrate)
    for model, texts in new_form.items():
        assert dict(model.objects.values_list("pk", "search_text")) == texts, model
    assert found(lic, "育新学校(2分校)") and found(black, bracketed(black.document_number, "[]"))
    assert found_everywhere(client, pub, full_width(pub.document_number))["search"]


@pytest.mark.postgres
def test_two_character_words_find_a_natural_persons_decision_number_in_one_form(build):
    # On PostgreSQL a two-character word asks the bigram columns; a natural person's (migration 0015) holds the bigrams
    # of the decision number in search form, so 20 finds 〔２０２６〕 and 6] finds 6〕.
    black = build.blacklist()
    black.document_number = full_width(black.document_number.replace("〔", "[").replace("〕", "]"))
    black.save()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE publicity_blacklistentry")
    for q in ("20", "２０", "6)", "6〕", "(2"):
        assert found(black, q), q
    assert found(black, "20 26") and found(black, "20 洪教信")
    assert not found(black, black.subject_name[:2])
