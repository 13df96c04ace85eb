"""Fast equivalents of Django's per-object form validation, instance creation and inserts, for bulk paths.

Everything here leans on Django internals: private form attributes (``_errors``, ``_validate_unique``,
``Field._clean_bound_field``), the deep copy of ``base_fields`` in ``BaseForm.__init__``, ``ModelState``, field value
preparation (``get_db_prep_save`` and which classes override it), the database operations' insert SQL
(``insert_statement``, ``on_conflict_suffix_sql``, ``return_insert_columns``, ``bulk_batch_size``) and the signal
receiver lists (``Signal._live_receivers``). It is kept in this one module so that a Django upgrade breaks one file.

Checked against Django 5.2 (``CHECKED_AGAINST``): after an upgrade, re-read the Django code named above, then raise
``CHECKED_AGAINST``; ``tests/core/test_django_internals.py`` fails until someone has.
"""

from __future__ import annotations

import copy
import operator
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models.base import ModelState
from django.dispatch import Signal
from django.forms.models import InlineForeignKeyField
from django.forms.utils import ErrorDict

CHECKED_AGAINST = (5, 2)

# -- forms -----------------------------------------------------------------------------------------------------------


class FormRowValidator:
    """A model form's validation of one row of data, run without building a form per row.

    The same steps, objects and order as ``ModelForm.full_clean``: every form field's ``clean()`` (and any
    ``clean_<field>()`` of the form), the form's own ``clean()`` (run on one real form instance whose
    ``cleaned_data`` is set per row), ``construct_instance``'s assignments, then the model's ``full_clean()`` with the
    form's validation exclusions and its ``validate_unique()``. It only decides "valid, here is the instance": at the
    first problem it returns None and the caller runs the real form on the row, so every message is the form's own.
    Forms this cannot mirror (custom widgets, disabled or inline fields) return None for every row (``usable``).
    """

    def __init__(self, form_class: type[forms.ModelForm]):
        self.form = form = form_class(data={})
        opts = form_class._meta
        simple_readers = {forms.Widget.value_from_datadict, forms.widgets.ChoiceWidget.value_from_datadict}
        self.usable = all(
            type(field.widget).value_from_datadict in simple_readers
            and not getattr(field.widget, "allow_multiple_selected", False)
            and not field.disabled
            and not isinstance(field, InlineForeignKeyField | forms.FileField)
            and type(field)._clean_bound_field is forms.Field._clean_bound_field
            for field in form.fields.values()
        )
        self.cleaners = [(name, field, getattr(form, f"clean_{name}", None)) for name, field in form.fields.items()]
        model_fields = form.instance._meta.fields
        # construct_instance: editable, non-auto model fields named in Meta.fields.
        self.assigned = [
            (f, f.name, f.has_default(), form.fields.get(f.name))
            for f in model_fields
            if f.editable
            and not isinstance(f, models.AutoField)
            and (opts.fields is None or f.name in opts.fields)
            and not (opts.exclude and f.name in opts.exclude)
        ]
        self.usable = self.usable and all(
            not isinstance(f, models.FileField) and (not has_default or field is not None)
            for f, _name, has_default, field in self.assigned
        )
        # _get_validation_exclusions: what does not depend on the row, and the fields excluded when left empty.
        self.static_exclude = frozenset(
            f.name
            for f in model_fields
            if f.name not in form.fields
            or (opts.fields and f.name not in opts.fields)
            or (opts.exclude and f.name in opts.exclude)
        )
        self.empty_exclude = [
            (f.name, form.fields[f.name])
            for f in model_fields
            if f.name not in self.static_exclude and not f.blank and not form.fields[f.name].required
        ]

    def validate(self, data: dict[str, Any], instance: models.Model) -> models.Model | None:
        """``instance`` with the row's values when the form would accept ``data``; None at the first problem."""
        if not self.usable:
            return None
        form = self.form
        cleaned: dict[str, Any] = {}
        form.cleaned_data = cleaned
        form._errors = ErrorDict(renderer=form.renderer)
        form._validate_unique = False
        try:
            for name, field, extra in self.cleaners:
                cleaned[name] = field.clean(data.get(name))
                if extra is not None:
                    cleaned[name] = extra()
            result = form.clean()
            if result is not None:
                cleaned = result
            if form._errors:
                return None
            for f, name, has_default, field in self.assigned:
                if name not in cleaned:
                    continue
                value = cleaned[name]
                if has_default and field.widget.value_omitted_from_data(data, {}, name) and value in field.empty_values:
                    continue
                f.save_form_data(instance, value)
            exclude = set(self.static_exclude)
            for name, field in self.empty_exclude:
                if cleaned.get(name) in field.empty_values:
                    exclude.add(name)
            instance.full_clean(exclude=exclude, validate_unique=False)
            if form._validate_unique:
                instance.validate_unique(exclude=exclude)
        except ValidationError:
            return None
        finally:
            form.cleaned_data = {}
        return instance


class _SharedFields(dict):
    """A form's ``base_fields`` that every instance shares instead of deep-copying (see ``shared_fields_form``)."""

    def __deepcopy__(self, memo):
        return self


def shared_fields_form(form_class: type[forms.BaseForm]) -> type[forms.BaseForm]:
    """``form_class`` unchanged (same fields, clean(), model validation), except that its field objects are copied once
    rather than once per form: Django deep-copies ``base_fields`` in every form's __init__ so that one form may alter
    its fields, which a bulk import never does; at 10,000 rows that copy was half the time."""
    shared = type(f"Import{form_class.__name__}", (form_class,), {"__module__": form_class.__module__})
    shared.base_fields = _SharedFields(copy.deepcopy(form_class.base_fields))
    return shared


# -- instances -------------------------------------------------------------------------------------------------------


def has_init_receivers(model: type[models.Model]) -> bool:
    """Whether ``Model(...)`` does more than set attributes (pre_init/post_init receivers): then ``copy_unsaved`` is
    not an equivalent of it."""
    return models.signals.pre_init.has_listeners(model) or models.signals.post_init.has_listeners(model)


def copy_unsaved(template: models.Model) -> models.Model:
    """A new unsaved instance equal to ``template`` (which must be unsaved and unchanged since ``Model(...)``).

    Ten thousand ``Model(**kwargs)`` calls resolve the same defaults and foreign-key descriptors each time; a copy of
    the first instance's state is the same object, made in a fraction of the time, as long as the model has no init
    receivers (``has_init_receivers``).
    """
    model = type(template)
    instance = model.__new__(model)
    instance.__dict__.update(template.__dict__)
    instance._state = ModelState()
    instance._state.fields_cache = dict(template._state.fields_cache)
    return instance


# -- signals ---------------------------------------------------------------------------------------------------------


def receiver_name(receiver: Callable) -> str:
    """``module.qualname`` of a signal receiver (for a bound method, of its class and method)."""
    owner = getattr(receiver, "__self__", None)
    if owner is not None:
        cls = type(owner)
        return f"{cls.__module__}.{cls.__qualname__}.{receiver.__func__.__name__}"
    return f"{receiver.__module__}.{getattr(receiver, '__qualname__', repr(receiver))}"


def receiver_names(signal: Signal, sender: type) -> list[str]:
    """The names of the live receivers of ``signal`` for ``sender`` (connected for it or for every sender)."""
    sync_receivers, async_receivers = signal._live_receivers(sender)
    return [receiver_name(r) for r in [*sync_receivers, *async_receivers]]


# -- inserts ---------------------------------------------------------------------------------------------------------


def _is_plain_integer(field: models.Field) -> bool:
    cls = type(field)
    return (
        isinstance(field, models.IntegerField | models.AutoField)
        and cls.get_prep_value is models.IntegerField.get_prep_value
        and cls.get_db_prep_value in (models.Field.get_db_prep_value, models.AutoField.get_db_prep_value)
        and cls.get_db_prep_save is models.Field.get_db_prep_save
    )


def _is_plain_text(field: models.Field) -> bool:
    cls = type(field)
    return (
        isinstance(field, models.CharField | models.TextField)
        and cls.get_prep_value in (models.CharField.get_prep_value, models.TextField.get_prep_value)
        and cls.get_db_prep_value is models.Field.get_db_prep_value
        and cls.get_db_prep_save is models.Field.get_db_prep_save
    )


def _preparer(field: models.Field, memo: dict, cache_key: Callable[[models.Field], Hashable]) -> Callable[[Any], Any]:
    """value → the field's database value, as ``field.get_db_prep_save(value)``."""
    prep_save = field.get_db_prep_save
    key = cache_key(field)
    if key is field and _is_plain_text(field):
        # A plain text column: a str goes to the database as it is.
        def prep_text(value):
            return value if value.__class__ is str else prep_save(value, connection=connection)

        return prep_text
    if key is field and _is_plain_integer(field.target_field if field.is_relation else field):
        # An integer column (or a foreign key to one): an int goes to the database as it is.
        def prep_int(value):
            return value if value.__class__ is int else prep_save(value, connection=connection)

        return prep_int
    cache = memo.setdefault(key, {})

    def prep(value):
        try:
            return cache[value]
        except KeyError:
            result = cache[value] = prep_save(value, connection=connection)
            return result
        except TypeError:  # unhashable
            return prep_save(value, connection=connection)

    return prep


def insert_rows(
    model: type[models.Model],
    fields: Sequence[models.Field],
    rows: Iterable[Sequence[Any]],
    *,
    memo: dict | None = None,
    cache_key: Callable[[models.Field], Hashable] | None = None,
    returning: bool = False,
    ignore_conflicts: bool = False,
    returning_fields: list[models.Field] | None = None,
) -> list[tuple]:
    """INSERT ``rows`` (values in ``fields`` order, as on the instances) into ``model``'s table without instances,
    and without signals.

    Each value is prepared exactly as Django's own insert prepares it (``get_db_prep_save``). The prepared values of
    the repetitive non-text columns (dates, foreign keys) are memoised in ``memo`` per field, or per
    ``cache_key(field)`` when that is not the field itself (columns that prepare a value alike share one cache), so
    a caller inserting into several tables prepares each value once. Without ``returning`` the rows go in with one
    prepared statement (executemany); with it, in multi-row statements whose RETURNING gives the new rows'
    ``returning_fields`` (the primary key by default) in insertion order.
    """
    memo = {} if memo is None else memo
    cache_key = cache_key or (lambda field: field)
    preparers = [_preparer(f, memo, cache_key) for f in fields]
    prepared = [[prep(value) for prep, value in zip(preparers, row, strict=True)] for row in rows]
    if not prepared:
        return []
    ops = connection.ops
    qn = ops.quote_name
    on_conflict = None
    if ignore_conflicts:
        from django.db.models.constants import OnConflict

        on_conflict = OnConflict.IGNORE
    head = "{} {} ({}) VALUES ".format(
        ops.insert_statement(on_conflict=on_conflict), qn(model._meta.db_table), ", ".join(qn(f.column) for f in fields)
    )
    tail = ops.on_conflict_suffix_sql(fields, on_conflict, None, None) if ignore_conflicts else ""
    placeholders = "({})".format(", ".join(["%s"] * len(fields)))
    with connection.cursor() as cursor:
        if not returning:
            sql = f"{head}{placeholders} {tail}".rstrip()
            for start in range(0, len(prepared), 5000):
                cursor.executemany(sql, prepared[start : start + 5000])
            return []
        returning_sql, _params = ops.return_insert_columns(returning_fields or [model._meta.pk])
        batch = max(1, ops.bulk_batch_size(fields, prepared))
        batch = min(batch, 1000)
        out: list[tuple] = []
        for start in range(0, len(prepared), batch):
            chunk = prepared[start : start + batch]
            sql = f"{head}{', '.join([placeholders] * len(chunk))} {tail} {returning_sql}"
            cursor.execute(sql, [value for row in chunk for value in row])
            out.extend(tuple(r) for r in cursor.fetchall())
        return out


def _values_getter(fields: Sequence[models.Field]) -> Callable[[models.Model], Sequence[Any]]:
    """instance → its values of ``fields``, in order (``attrgetter`` of one name returns the bare value)."""
    if len(fields) == 1:
        attname = fields[0].attname
        return lambda instance: (getattr(instance, attname),)
    return operator.attrgetter(*[f.attname for f in fields])


def insert_child_instances(
    instances: Sequence[models.Model],
    *,
    memo: dict | None = None,
    cache_key: Callable[[models.Field], Hashable] | None = None,
) -> None:
    """Save new instances of a model with one concrete parent (multi-table inheritance), which Django's
    ``bulk_create`` refuses, without signals: the parent rows first (their ids by RETURNING, or by ``bulk_create``
    where the database has no INSERT … RETURNING), then the child rows with those ids. The instances get their ids."""
    if not instances:
        return
    model = type(instances[0])
    [(parent, parent_link)] = model._meta.parents.items()
    memo = {} if memo is None else memo
    parent_fields = [f for f in parent._meta.concrete_fields if not f.primary_key]
    get_parent = _values_getter(parent_fields)
    if connection.features.can_return_rows_from_bulk_insert:
        rows = insert_rows(
            parent, parent_fields, map(get_parent, instances), memo=memo, cache_key=cache_key, returning=True
        )
        ids = [row[0] for row in rows]
    else:
        parents = [parent(**{f.attname: getattr(i, f.attname) for f in parent_fields}) for i in instances]
        parent.objects.bulk_create(parents, batch_size=1000)
        ids = [p.pk for p in parents]
    parent_pk = parent._meta.pk.attname
    for instance, pk in zip(instances, ids, strict=True):
        setattr(instance, parent_link.attname, pk)
        setattr(instance, parent_pk, pk)
        instance._state.adding = False
    child_fields = list(model._meta.local_concrete_fields)
    get_child = _values_getter(child_fields)
    insert_rows(model, child_fields, map(get_child, instances), memo=memo, cache_key=cache_key)


def copy_rows(
    model: type[models.Model],
    fields: Sequence[models.Field],
    rows: Iterable[Sequence[Any]],
    *,
    memo: dict | None = None,
    cache_key: Callable[[models.Field], Hashable] | None = None,
) -> int:
    """COPY ``rows`` (values in ``fields`` order, as on the instances) into ``model``'s table on PostgreSQL, without
    instances or signals; returns how many rows went in.

    Each value is prepared as ``insert_rows`` prepares it (``get_db_prep_save``, memoised per field); the rows then
    stream through psycopg 3's ``cursor.copy()`` (``COPY … FROM STDIN``), which on PostgreSQL loads rows an order of
    magnitude faster than multi-row INSERTs. Primary keys are the caller's: pass the id field and reserved ids
    (``reserve_ids``)."""
    if connection.vendor != "postgresql":
        raise NotImplementedError("copy_rows needs PostgreSQL (COPY FROM STDIN)")
    memo = {} if memo is None else memo
    cache_key = cache_key or (lambda field: field)
    preparers = [_preparer(f, memo, cache_key) for f in fields]
    qn = connection.ops.quote_name
    sql = "COPY {} ({}) FROM STDIN".format(qn(model._meta.db_table), ", ".join(qn(f.column) for f in fields))
    count = 0
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row([prep(value) for prep, value in zip(preparers, row, strict=True)])
            count += 1
    return count


def reserve_ids(model: type[models.Model], count: int) -> int:
    """Reserve ``count`` consecutive primary keys of ``model`` (PostgreSQL identity/serial column); returns the first.
    Rows inserted later by the ordinary path get ids after them."""
    if count <= 0:
        raise ValueError("count must be positive")
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, column])
        (sequence,) = cursor.fetchone()
        cursor.execute(f"LOCK TABLE {connection.ops.quote_name(table)} IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute(
            f"SELECT GREATEST(COALESCE(MAX({connection.ops.quote_name(column)}), 0), "
            f"(SELECT last_value FROM {sequence})) FROM {connection.ops.quote_name(table)}"
        )
        (last,) = cursor.fetchone()
        cursor.execute("SELECT setval(%s, %s)", [sequence, last + count])
    return last + 1
