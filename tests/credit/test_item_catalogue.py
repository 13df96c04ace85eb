"""The item catalogue is the one declaration of the Annex 1 items: it equals the annex, everything per item derives
from it, an item is added with its entry and one model class, and no behaviour names an item by its number."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.test.utils import isolate_apps

from credit import fields
from credit.catalog import PENALTY, RED_LIST, SEMIANNUAL, ItemSpec, load_catalog
from credit.demo import sample_values
from credit.forms import form_for_item
from credit.models import Item, Record
from credit.registry import model_for_item
from publicity.services.publications import PENALTY_ITEMS, PUBLIC_ITEMS, RED_LIST_ITEMS
from reporting import double_publicity
from reporting.columns import NATURAL_KEYS, template_columns

ROOT = Path(__file__).resolve().parents[2]
# The verbatim transcript of the annexes (as in the shared product spec); only tests read it.
ANNEX_COPIES = [ROOT / "fixtures" / "catalog.json", ROOT.parent / "shared" / "spec" / "catalog.json"]
# What the catalogue adds to each annex item and field (the product's per-item decisions).
PRODUCT_ITEM_KEYS = {
    "extra_fields",
    "not_published",
    "repair_requires",
    "natural_key",
    "business_date_field",
    "business_date_label",
    "subject_name_field",
    "subject_id_field",
    "future_date_fields",
    "publication",
    "credit_check",  # an award or recognition, checked for live dishonesty before approval (信用审查)
    "evaluation_scope",  # its records mark a private school or training institution, which the 信用评价 grades
}
PRODUCT_FIELD_KEYS = {"key", "demo", "rule_zh", "school_code"}


# --- the catalogue is the annex ----------------------------------------------------------------------------------


@pytest.mark.parametrize("annex_path", [p for p in ANNEX_COPIES if p.exists()], ids=lambda p: str(p.parent.name))
def test_catalogue_holds_the_annexes_verbatim(annex_path):
    """Every annex attribute of every item and field, in order, plus Annex 2 and the offices, unchanged; the
    catalogue adds only the product's per-item keys."""
    annex = json.loads(annex_path.read_text(encoding="utf-8"))
    catalogue = load_catalog()
    for part in ("field_types", "offices", "indicators"):
        assert catalogue[part] == annex[part], part
    assert [i["no"] for i in catalogue["items"]] == [i["no"] for i in annex["items"]]
    for item, annex_item in zip(catalogue["items"], annex["items"], strict=True):
        assert {k: v for k, v in item.items() if k in annex_item and k != "fields"} == {
            k: v for k, v in annex_item.items() if k != "fields"
        }
        assert set(item) - set(annex_item) <= PRODUCT_ITEM_KEYS, item["no"]
        for field, annex_field in zip(item["fields"], annex_item["fields"], strict=True):
            assert {k: v for k, v in field.items() if k in annex_field} == annex_field, (item["no"], field["key"])
            assert set(field) - set(annex_field) <= PRODUCT_FIELD_KEYS


@pytest.mark.django_db
def test_database_items_are_the_catalogue():
    """The migrations loaded every catalogue item with its fields, keys, offices and publicity (a new item whose data
    migration is missing fails here)."""
    items = {item.no: item for item in Item.objects.prefetch_related("offices", "fields")}
    assert sorted(items) == sorted(ItemSpec.numbers())
    for spec in ItemSpec.all():
        item = items[spec.no]
        assert (item.name, item.subject_type, item.publicity) == (spec.name, spec.subject_type, spec.publicity)
        assert (item.deadline_kind, item.deadline_days, item.any_office) == (
            spec.deadline_kind,
            spec.deadline_days,
            spec.any_office,
        )
        assert sorted(o.code for o in item.offices.all()) == sorted(spec.offices)
        stored = sorted(item.fields.all(), key=lambda f: f.position)
        assert [(f.key, f.name, f.type, f.required) for f in stored] == [
            (f.key, f.name, f.type, f.required) for f in spec.fields
        ]


# --- everything per item derives from it -------------------------------------------------------------------------


@pytest.mark.parametrize("spec", ItemSpec.all(), ids=lambda s: f"item{s.no}")
def test_typed_model_takes_its_item_from_the_catalogue(spec):
    model = model_for_item(spec.no)
    assert model.ITEM_NO == spec.no and model._meta.db_table == f"credit_item{spec.no}"
    assert model.history.model._meta.db_table == f"credit_item{spec.no}_history"
    assert str(model._meta.verbose_name) == spec.name
    assert (model.BUSINESS_DATE_FIELD, model.SUBJECT_NAME_FIELD, model.SUBJECT_ID_FIELD) == (
        spec.business_date_field,
        spec.subject_name_field,
        spec.subject_id_field,
    )
    assert model.FUTURE_DATE_FIELDS == spec.future_date_fields
    assert model.field_keys() == spec.keys
    for field in spec.fields:
        column = model._meta.get_field(field.key)
        assert str(column.verbose_name) == field.name and column.blank is not field.required
        if field.type == "enum":
            assert [value for value, _label in column.choices] == list(field.values)
    assert [c.key for c in template_columns(spec.no)] == list(spec.keys)
    # The product's extra fields (optional) follow the Annex 1 fields on the form, never among the template columns.
    assert list(form_for_item(spec.no).base_fields) == [*spec.keys, *spec.extra_keys, "business_date"]
    assert all(model._meta.get_field(key).blank for key in spec.extra_keys)
    assert NATURAL_KEYS[spec.no] == spec.natural_key


def test_publicity_and_the_national_mapping_follow_the_catalogue():
    assert PENALTY_ITEMS == tuple(s.no for s in ItemSpec.items_with(publicity=PENALTY))
    assert RED_LIST_ITEMS == tuple(s.no for s in ItemSpec.items_with(publicity=RED_LIST))
    assert set(PUBLIC_ITEMS) == set(PENALTY_ITEMS) | set(RED_LIST_ITEMS)
    assert set(double_publicity.PENALTY_SOURCE_FIELDS) == set(double_publicity.GAP_FIELDS) == set(PENALTY_ITEMS)
    for no in PENALTY_ITEMS:
        spec = ItemSpec.get(no)
        assert double_publicity.PENALTY_SOURCE_FIELDS[no][:2] == (spec.subject_name_field, spec.subject_id_field)
        answered = set(spec.penalty_columns.columns)
        assert not answered & set(double_publicity.GAP_FIELDS[no])  # a column the record answers is never a gap


def test_publicity_kinds_are_the_item_model_choices():
    from credit.catalog.spec import PUBLICITY_KINDS
    from credit.models import Publicity

    assert set(PUBLICITY_KINDS) == set(Publicity.values)


def test_semiannual_beat_entries_are_the_semiannual_items():
    from reporting.schedules import semiannual_items, semiannual_task_name

    assert semiannual_items() == ItemSpec.items_with(deadline_kind=SEMIANNUAL)
    assert [semiannual_task_name(s) for s in semiannual_items()] == [
        f"报送：{s.name}半年报送" for s in semiannual_items()
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("spec", ItemSpec.all(), ids=lambda s: f"item{s.no}")
def test_demo_values_of_every_item_pass_its_form(spec):
    form = form_for_item(spec.no)(data=sample_values(spec.no, 5))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["business_date"] or spec.business_date_field


# --- a misdeclared item fails when its model is declared, not in production --------------------------------------


@isolate_apps("credit")
def test_a_typed_model_must_declare_the_catalogue_types_and_fields(monkeypatch):
    monkeypatch.delitem(Record.item_models, 3)
    with pytest.raises(ImproperlyConfigured, match="declared person_name, the catalogue says text"):

        class WrongType(Record, item=3):
            __module__ = "credit.models.records"
            org_name = fields.person_name()

    monkeypatch.delitem(Record.item_models, 3)
    with pytest.raises(ImproperlyConfigured, match="missing .*school_type"):

        class MissingField(Record, item=3):
            __module__ = "credit.models.records"
            org_name = fields.text()
            org_code = fields.org_code()
            supervising_authority = fields.text()

    with pytest.raises(ImproperlyConfigured, match="already has a model"):

        class Twice(Record, item=2):
            __module__ = "credit.models.records"
            org_name = models.CharField(max_length=10)


def test_catalogue_refuses_an_entry_that_does_not_hold_together():
    entry = json.loads(json.dumps(load_catalog()["items"][1]))  # item 2, a penalty
    entry["natural_key"] = ["org_code", "no_such_field"]
    del entry["publication"]["columns"]["cf_jdrq"]
    with pytest.raises(ImproperlyConfigured) as exc:
        ItemSpec.from_json(entry)
    assert "no_such_field" in str(exc.value) and "cf_jdrq" in str(exc.value)


# --- adding an item ----------------------------------------------------------------------------------------------


@pytest.mark.slow(6)
@pytest.mark.django_db
def test_a_twelfth_item_needs_only_its_catalogue_entry_and_one_model_class(tmp_path):
    """The strongest proof short of committing an item: a fresh process whose settings add a catalogue entry
    (``tests/item_twelve/catalog_entry.json``, appended to the package catalogue before Django loads) and install an app
    holding one model class (``tests/item_twelve/models.py``: ``class TutoringPenaltyRecord(Record, item=12)`` with one
    typed line per field). The process generates the schema migration with ``makemigrations``, writes the one-line
    ``SyncCatalog`` data migration, migrates a new database, and then uses the item end to end through the unchanged
    code: the model is registered with its tables, the record form, upload template, natural key, demo values and
    publicity classification derive from the entry, and a record entered from the demo values is submitted,
    approved, published as a 双公示 penalty and exported as a complete national row. Nothing else was edited.

    On SQLite the process starts from a copy of the suite's migrated test database, as a running installation that
    adds the item (two migrations to apply, 3 s); on PostgreSQL (CI) it migrates a new in-memory database from the
    first migration (25 s)."""
    from django.db import connection

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.item_twelve.settings", "ITEM_TWELVE_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    env.pop("ITEM_TWELVE_BASE_DB", None)
    if connection.vendor == "sqlite" and not connection.is_in_memory_db():
        env["ITEM_TWELVE_BASE_DB"] = str(connection.settings_dict["NAME"])
    done = subprocess.run(
        [sys.executable, "-m", "tests.item_twelve.check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    entry = json.loads((ROOT / "tests" / "item_twelve" / "catalog_entry.json").read_text(encoding="utf-8"))
    keys = [f["key"] for f in entry["fields"]]
    names = [f["name"] for f in entry["fields"]]

    assert report["migrated_from"] == ("installation" if "ITEM_TWELVE_BASE_DB" in env else "empty")
    assert report["schema_migrations"] == ["0001_initial.py"] and report["further_model_changes"] is False
    assert (report["model"], report["db_table"], report["history_table"]) == (
        "TutoringPenaltyRecord",
        "credit_item12",
        "credit_item12_history",
    )
    assert report["business_date_field"] == "penalty_date" and report["subject_fields"] == ["org_name", "org_code"]
    assert report["verbose_names"] == names == report["template_headers"] == report["upload_template_header"]
    assert report["form_fields"] == [*keys, "business_date"]
    assert report["natural_key"] == entry["natural_key"]
    assert set(report["demo_values"]) == set(keys) and report["demo_values"]["decision_number"] == "洪教培罚〔2026〕4号"
    assert (report["penalty_item"], report["public_item"], report["red_list_item"]) == (True, True, False)
    assert report["db_item"] == {
        "name": entry["name"],
        "publicity": "double_publicity_penalty",
        "offices": ["sheguan"],
        "fields": keys,
    }
    # The national mapping: what the record answers, what it leaves to the reviewer, and the row it exports.
    assert report["gap_fields"] == ["cf_wfxw", "cf_sy", "cf_yj", "cf_cflb"]
    assert report["penalty_defaults"]["offence_facts"].startswith("违规事实")  # suggested from the record
    assert report["record_status"] == "approved" and report["due_date_after_business_date"]
    row = dict(zip(double_publicity.PENALTY_CODES, report["national_row"], strict=True))
    assert row["cf_wsh"] == report["publication"]["document_number"] == "洪教培罚〔2026〕2号"
    assert row["cf_xdr_mc"] == report["subject_name"] and row["cf_xdr_lb"] == double_publicity.LEGAL_PERSON
    assert double_publicity.missing_required(report["national_row"]) == []


# --- no item numbers in behaviour --------------------------------------------------------------------------------

# Names that hold an item number, and functions whose first argument is one.
ITEM_NAMES = {"no", "item_no", "ITEM_NO", "item_id"}
ITEM_KEYWORDS = ITEM_NAMES | {"item"}
ITEM_FUNCTIONS = {
    "model_for_item",
    "form_for_item",
    "template_columns",
    "template_headers",
    "sample_values",
    "catalog_item",
    "catalog_field",
}
# User-visible text naming items by number ("事项 2、8").
ITEM_TEXT = re.compile(r"事项\s*[0-9]")
# Template conditions on an item number ({% if record.item.no == 2 %}).
TEMPLATE_ITEM = re.compile(r"\b(no|item_no|ITEM_NO)\s*(==|!=|\bin\b)\s*[\[(]?\s*[0-9]")


def _ints(node: ast.AST) -> bool:
    """Whether ``node`` holds a positive int literal, leaving out subscripts (``items[0]``)."""
    if isinstance(node, ast.Constant):
        return type(node.value) is int and node.value > 0
    if isinstance(node, ast.Subscript):
        return _ints(node.value)
    return any(_ints(child) for child in ast.iter_child_nodes(node))


def _name(node: ast.AST) -> str:
    return node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def item_number_literals(source: str) -> list[tuple[int, str]]:
    """(line, what) of every place ``source`` names an item by a number literal:

    - a comparison of an item number with a number or a tuple/list/set of numbers (``r.ITEM_NO == 2``,
      ``item.no in (2, 8)``);
    - a keyword argument naming an item given a number (``item__no__in=(2, 8)``, ``Item.objects.get(no=3)``,
      ``no=item or 2``);
    - a call of an item-keyed function with a number first (``sample_values(3, seq)``, ``ItemSpec.get(7)``);
    - an assignment of numbers to an item name or an ``*_ITEM``/``*_ITEMS`` constant (``PENALTY_ITEMS = (2, 8)``);
    - a dict literal keyed by item numbers (``{2: _item2, 8: _item8}``);
    - a string (not a docstring) naming items by number (``"事项 2、8"``).
    Other numbers (counts, days, lengths, indexes) are not item references and are left alone, and so is the one
    place a typed model names its item: ``class FooRecord(Record, item=11)``.
    """
    tree = ast.parse(source)
    docstrings = _docstrings(tree)
    declarations = {id(k) for node in ast.walk(tree) if isinstance(node, ast.ClassDef) for k in node.keywords}
    numbers = set(ItemSpec.numbers())
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(_name(s) in ITEM_NAMES for s in sides) and any(
                _ints(s) for s in sides if _name(s) not in ITEM_NAMES
            ):
                found.append((node.lineno, "comparison"))
        elif isinstance(node, ast.keyword) and node.arg and id(node) not in declarations:
            if (node.arg in ITEM_KEYWORDS or node.arg.startswith("item__no")) and _ints(node.value):
                found.append((node.value.lineno, f"{node.arg}="))
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            is_spec_get = _name(node.func) == "get" and _name(getattr(node.func, "value", None)) == "ItemSpec"
            if (_name(node.func) in ITEM_FUNCTIONS or is_spec_get) and type(node.args[0].value) is int:
                found.append((node.lineno, f"{_name(node.func)}()"))
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            named = [_name(t) for t in targets]
            if node.value is not None and _ints(node.value):
                if any(n in ITEM_NAMES or n.endswith(("_ITEM", "_ITEMS")) for n in named):
                    found.append((node.lineno, f"{named[0]} ="))
        elif isinstance(node, ast.Dict) and len(node.keys) >= 2:
            keys = [k.value if isinstance(k, ast.Constant) else None for k in node.keys]
            if all(type(k) is int for k in keys) and set(keys) <= numbers:
                found.append((node.lineno, "dict keyed by item numbers"))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            if ITEM_TEXT.search(node.value):
                found.append((node.lineno, "text naming items by number"))
    return found


def _behaviour_files():
    """Python modules and templates of every app package (and config), without migrations, the catalogue package
    and tests."""
    for package in sorted(p.parent for p in ROOT.glob("*/__init__.py")):
        if package.name in {"tests", "bench", "scripts", "docs"}:
            continue
        for path in sorted(package.rglob("*")):
            relative = path.relative_to(ROOT)
            if "migrations" in relative.parts or relative.parts[:2] == ("credit", "catalog"):
                continue
            if path.suffix in {".py", ".html"}:
                yield path
    yield from sorted((ROOT / "templates").rglob("*.html"))


def test_behaviour_code_names_no_item_by_number():
    """Acceptance of issue 11: item numbers appear only in the catalogue (and migrations and tests)."""
    offences = []
    for path in _behaviour_files():
        text = path.read_text(encoding="utf-8")
        where = path.relative_to(ROOT)
        if path.suffix == ".py":
            offences += [f"{where}:{line}: {what}" for line, what in item_number_literals(text)]
        else:
            offences += [
                f"{where}:{n}: template condition"
                for n, line in enumerate(text.splitlines(), 1)
                if TEMPLATE_ITEM.search(line)
            ]
    assert offences == []


@pytest.mark.parametrize(
    "snippet",
    [
        "PENALTY_ITEMS = (2, 8)",
        "SEMIANNUAL_ITEM = 1",
        "qs.filter(item__no__in=(2, 8))",
        "Item.objects.get(no=item or 2)",
        "if r.ITEM_NO == 2: pass",
        "ok = record.item.no not in [6, 7]",
        "values = sample_values(3, seq)",
        "spec = ItemSpec.get(7)",
        "BUILDERS = {2: build_school, 8: build_teacher}",
        'message = _("只适用于行政处罚事项（事项 2、8）。")',
    ],
)
def test_the_item_number_scan_finds_each_kind_of_literal(snippet):
    assert item_number_literals(snippet)


@pytest.mark.parametrize(
    "snippet",
    [
        "days = timezone.timedelta(days=7)",
        "if len(rows) == 2: pass",
        "sheet.set_column(1, 1, 60)",
        "item = Item.objects.get(no=no)",
        "item = Item.objects.get(no=penalty_items[0])",
        "class FooRecord(Record, item=11): pass",
        '"""Penalties (items 2 and 8) in the national columns."""',
        "options = {'size': 2, 'days': 8}",
    ],
)
def test_the_item_number_scan_leaves_other_numbers_alone(snippet):
    assert item_number_literals(snippet) == []
