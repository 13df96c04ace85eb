"""Keyset (seek) pagination over any ordering: a page costs the same at the first row and at the millionth.

OFFSET pagination reads and throws away every row before the page, and its "page n of m" needs a COUNT of the whole
filtered set; both grow with the history a list holds. A keyset page instead continues from the last row shown
(``WHERE (sort key, id) comes after (cursor)``), which an index on the filter and the sort key serves directly.

Hand-written rather than django-cursor-pagination: that library compares every key through OR-ed conditions on text
values, which PostgreSQL cannot turn into an index range, so a deep page still scans from the start. Here the first
key also gets a plain range bound (``created_at <= cursor``) that the index serves; the rest is filtered among the
ties. Nullable keys sort their NULLs last (then first when paging backwards).
"""

from __future__ import annotations

import base64
import binascii
import datetime
import json
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import F, Model, Q, QuerySet


@dataclass(frozen=True)
class Key:
    path: str  # a field path as order_by takes it ("due_date", "item__no")
    desc: bool
    nullable: bool
    field: object

    def reversed(self) -> Key:
        return Key(self.path, not self.desc, self.nullable, self.field)

    def order(self, nulls_last: bool):
        if not self.nullable:
            return f"-{self.path}" if self.desc else self.path
        nulls = {"nulls_last": True} if nulls_last else {"nulls_first": True}
        return F(self.path).desc(**nulls) if self.desc else F(self.path).asc(**nulls)


@dataclass
class KeysetPage:
    """One page: its rows, and the cursors of the pages before and after it (None where there is none)."""

    object_list: list
    has_next: bool
    has_previous: bool
    next_cursor: str | None
    previous_cursor: str | None
    keyset = True

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous


def _resolve(model: type[Model], path: str):
    field = None
    for part in path.split("__"):
        field = model._meta.get_field("id" if part == "pk" else part)
        if field.is_relation and field.related_model is not None:
            model = field.related_model
    if field.is_relation:  # ordering by a foreign key orders by its target's primary key
        field = field.target_field
    return field


def keys_for(qs: QuerySet, default: Sequence[str] = ()) -> list[Key]:
    """The sort keys of ``qs`` (its ``order_by``, else ``default``, else the model's ordering), ended by the primary
    key so that the order is total. Raises ValueError for an ordering that is not a plain field path."""
    ordering = list(qs.query.order_by) or list(default) or list(qs.model._meta.ordering)
    keys: list[Key] = []
    for item in ordering:
        if not isinstance(item, str) or item == "?":
            raise ValueError(f"keyset pagination needs field orderings, not {item!r}")
        desc = item.startswith("-")
        path = item.lstrip("-")
        try:
            field = _resolve(qs.model, path)
        except FieldDoesNotExist as exc:
            raise ValueError(str(exc)) from exc
        keys.append(Key(path, desc, bool(getattr(field, "null", False)), field))
        if path in ("id", "pk"):
            break
    if not keys or keys[-1].path not in ("id", "pk"):
        desc = keys[-1].desc if keys else True
        keys.append(Key("id", desc, False, qs.model._meta.pk))
    return keys


def _value(obj, path: str):
    for part in path.split("__"):
        if obj is None:
            return None
        obj = getattr(obj, part)
    if isinstance(obj, Model):
        return obj.pk
    return obj


def encode(obj, keys: Sequence[Key]) -> str:
    values = []
    for key in keys:
        value = _value(obj, key.path)
        if isinstance(value, datetime.date | datetime.datetime):
            value = value.isoformat()
        values.append(value)
    raw = json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str, keys: Sequence[Key]) -> list | None:
    """The key values of ``cursor``, or None when it is not one of ours for these keys (then the first page)."""
    try:
        raw = base64.urlsafe_b64decode(cursor.encode("ascii") + b"=" * (-len(cursor) % 4))
        values = json.loads(raw)
        if not isinstance(values, list) or len(values) != len(keys):
            return None
        out = []
        for key, value in zip(keys, values, strict=True):
            if value is None:
                if not key.nullable:
                    return None
                out.append(None)
            elif isinstance(value, str | int) and not isinstance(value, bool):
                value = key.field.to_python(value)
                if isinstance(value, datetime.datetime) and value.tzinfo is None:
                    return None  # ours always carry their offset: another sort's date, or typed by hand
                out.append(value)
            else:
                return None
        return out
    except (ValueError, TypeError, UnicodeError, binascii.Error, ValidationError, OverflowError):
        return None


def _after(keys: Sequence[Key], values: Sequence, nulls_last: bool) -> Q:
    """Rows that come after ``values`` in the order of ``keys``."""
    condition = Q(pk__in=[])
    equal = Q()
    for key, value in zip(keys, values, strict=True):
        if value is None:
            later = None if nulls_last else Q(**{f"{key.path}__isnull": False})
            same = Q(**{f"{key.path}__isnull": True})
        else:
            later = Q(**{f"{key.path}__{'lt' if key.desc else 'gt'}": value})
            if key.nullable and nulls_last:
                later |= Q(**{f"{key.path}__isnull": True})
            same = Q(**{key.path: value})
        if later is not None:
            condition |= equal & later
        equal &= same
    first, value = keys[0], values[0]
    if value is not None and not first.nullable:
        # The same rows, with a range on the first key the index can seek to (the OR above it cannot).
        condition &= Q(**{f"{first.path}__{'lte' if first.desc else 'gte'}": value})
    return condition


def keyset_page(
    qs: QuerySet,
    *,
    size: int,
    after: str | None = None,
    before: str | None = None,
    default_ordering: Sequence[str] = (),
) -> KeysetPage:
    """The page of ``size`` rows of ``qs`` after the cursor ``after`` (or before ``before``); the first page when
    neither is given or the cursor is not valid. One query."""
    keys = keys_for(qs, default_ordering)
    position = decode(after, keys) if after else None
    backwards = False
    if position is None and before:
        position = decode(before, keys)
        backwards = position is not None
    if backwards:
        order_keys, nulls_last = [k.reversed() for k in keys], False
    else:
        order_keys, nulls_last = keys, True
    page_qs = qs.order_by(*(k.order(nulls_last) for k in order_keys))
    if position is not None:
        page_qs = page_qs.filter(_after(order_keys, position, nulls_last))
    rows = list(page_qs[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
        has_previous, has_next = more, True
    else:
        has_previous, has_next = position is not None, more
    return KeysetPage(
        object_list=rows,
        has_next=has_next and bool(rows),
        has_previous=has_previous and bool(rows),
        next_cursor=encode(rows[-1], keys) if rows and has_next else None,
        previous_cursor=encode(rows[0], keys) if rows and has_previous else None,
    )
