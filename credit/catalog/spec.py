"""The item catalogue as Python objects: ``ItemSpec`` (one Annex 1 item) and ``FieldSpec`` (one of its data items).

``catalog.json`` beside this module is the one declaration of the items: the annexes verbatim (names, types, offices,
deadline, publicity) plus the product's per-item decisions (field keys, natural key, business-date and subject fields,
future dates, the publication mapping, demo values). Models, forms, templates, imports, exports, publicity and demo
data all derive from it; nothing else lists items. Loading validates the cross-references (a natural key naming an
unknown field, a penalty item without a decision date...) so a mistake fails at import, not in production.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from functools import cache
from pathlib import Path
from string import Formatter
from types import MappingProxyType

from django.core.exceptions import ImproperlyConfigured

# Where the catalogue is read from (package data, shipped with the code).
CATALOG_PATH = Path(__file__).resolve().parent / "catalog.json"

# ``publicity`` values of an item (the same strings as ``credit.models.Publicity``).
PENALTY = "double_publicity_penalty"  # 双公示 administrative penalty: a reviewer publishes it with the national columns
RED_LIST = "red_list"  # 红名单: public on approval, for its validity
BLACK_LIST = "black_list"  # 黑名单: only by an explicit decision (publicity.services.blacklist)
NOT_PUBLIC = ""
PUBLICITY_KINDS = (PENALTY, RED_LIST, BLACK_LIST, NOT_PUBLIC)

# ``credit_check`` of an item: a recognition (评优评先, 示范认定) is checked for live dishonesty before it is approved
# (信用审查, the vetting app); the items counted against it are the 失信信息 items (``info_category``).
RECOGNITION = "recognition"
CREDIT_CHECK_KINDS = ("", RECOGNITION)
NEGATIVE_CATEGORY = "失信信息"

SEMIANNUAL = "semiannual"
WORKING_DAYS = "working_days"

FIELD_TYPES = ("text", "long_text", "person_name", "cn_id", "doc_number", "org_code", "date", "year", "phone", "enum")
# Types of the product's extra fields only (``extra_fields``): not Annex 1 data items, so not in its type list.
EXTRA_FIELD_TYPES = ("amount",)

# National 双公示 penalty columns every penalty item must answer from its own fields (the rest may come from the
# publication, the subject or the bureau).
PENALTY_REQUIRED_COLUMNS = ("cf_nr", "cf_jdrq", "cf_cfjg")


@dataclass(frozen=True)
class FieldSpec:
    """One data item (信用信息数据项) of an item: a model column, a form field, a template column."""

    key: str
    name: str
    type: str
    required: bool = False
    values: tuple[str, ...] = ()
    rule: str = ""
    rule_zh: str = ""  # the rule as the upload template's 填写说明 sheet states it
    # A str.format template of a realistic demo value (see credit.demo); None: generated from the type.
    demo: str | None = None
    # The value a record takes when the field is left empty (extra fields only, e.g. item 8's 处理性质).
    default: str = ""
    # An extra field: the product's, not an Annex 1 data item (optional; never among the template's Annex 1 columns).
    extra: bool = False
    # An org_code column that also accepts the 10-digit 学校标识码 (the annex names it 学校代码／统一社会信用代码).
    school_code: bool = False

    @classmethod
    def from_json(cls, data: Mapping, *, extra: bool = False) -> FieldSpec:
        return cls(
            default=data.get("default", ""),
            extra=extra,
            key=data["key"],
            name=data["name"],
            type=data["type"],
            required=bool(data.get("required", False)),
            values=tuple(data.get("values", ())),
            rule=data.get("rule", ""),
            rule_zh=data.get("rule_zh", ""),
            demo=data.get("demo"),
            school_code=bool(data.get("school_code", False)),
        )


@dataclass(frozen=True)
class PenaltyColumns:
    """How a 双公示 penalty item fills the national penalty columns (``cf_*``).

    ``columns``: national column → record field the record *answers* (exported as is).
    ``suggested``: national column → record field offered to the reviewer as the publication's initial value (the
    record has something close, e.g. 处罚内容 for 违法事实, but the reviewer confirms it).
    """

    columns: Mapping[str, str]
    suggested: Mapping[str, str]

    def source(self, column: str) -> str | None:
        """The record field that answers or suggests ``column``, if any."""
        return self.columns.get(column) or self.suggested.get(column)


@dataclass(frozen=True)
class RedListEntry:
    """The red-list entry of a record, as ``str.format`` templates over the record's fields and ``{office}``; a
    ``{bureau}`` in the catalogue is the bureau's name (``BUREAU_NAME``), put in when the catalogue is loaded (the
    decision authority of an award the bureau makes, never an internal office)."""

    document_number: str
    content: str
    authority: str


@dataclass(frozen=True)
class ItemSpec:
    """One credit-information item of Annex 1 with every per-item decision of the product."""

    no: int
    name: str
    name_en: str
    subject_type: str
    info_category: str
    sharing_scope: str
    validity: str
    offices_text: str
    offices: tuple[str, ...]  # office codes; empty when any office holding the information reports it
    any_office: bool
    deadline_text: str
    deadline_kind: str
    deadline_days: int | None
    deadline_from: str
    publicity: str
    fields: tuple[FieldSpec, ...]
    natural_key: tuple[str, ...]
    business_date_field: str | None  # the field the business date is taken from; None: the clerk enters it
    subject_name_field: str
    subject_id_field: str
    future_date_fields: tuple[str, ...]
    penalty_columns: PenaltyColumns | None = None
    # What the business date is called where the clerk enters it (form, optional import column): 业务发生日期 unless
    # the item's deadline counts from another event (item 9: 认定日期, the date the false registration is established).
    business_date_label: str = "业务发生日期"
    credit_check: str = ""  # RECOGNITION: an award or recognition, checked for live dishonesty before approval
    red_list_entry: RedListEntry | None = None
    # The product's fields beyond Annex 1 (optional, after the Annex 1 fields everywhere): for penalty items the
    # national 双公示 columns a clerk may enter with the record, and item 8's 处理性质 (行政处罚 or 处分).
    extra_fields: tuple[FieldSpec, ...] = ()
    # Field → values for which a record is never public (e.g. a 处分 is not a 行政处罚: never in the 双公示 column).
    not_published: Mapping[str, tuple[str, ...]] = dataclass_field(default_factory=dict)
    # Field → values a record must have before its penalty may be repaired early (e.g. 执行状态 已执行).
    repair_requires: Mapping[str, tuple[str, ...]] = dataclass_field(default_factory=dict)
    # Whether a record of the item marks its subject as a private school or training institution, the organisations
    # the credit evaluation (信用评价) grades: None, no; {} every record (e.g. item 5, 民办 institutions' inspections);
    # field → words, a record whose field contains one of the words (e.g. item 3's 办学类型 with 民办 or 培训).
    evaluation_scope: Mapping[str, tuple[str, ...]] | None = None
    _by_key: Mapping[str, FieldSpec] = dataclass_field(default_factory=dict, repr=False, compare=False)

    # -- look-ups over the catalogue ----------------------------------------------------------------------------

    @classmethod
    def get(cls, no: int) -> ItemSpec:
        try:
            return _items()[no]
        except KeyError:
            raise LookupError(f"item {no} is not in the catalogue") from None

    @classmethod
    def all(cls) -> tuple[ItemSpec, ...]:
        """Every item, in catalogue order."""
        return tuple(_items().values())

    @classmethod
    def numbers(cls) -> tuple[int, ...]:
        return tuple(_items())

    @classmethod
    def items_with(cls, *, publicity: str | None = None, deadline_kind: str | None = None) -> tuple[ItemSpec, ...]:
        """The items with the given publicity kind and/or deadline kind, in catalogue order."""
        return tuple(
            item
            for item in cls.all()
            if (publicity is None or item.publicity == publicity)
            and (deadline_kind is None or item.deadline_kind == deadline_kind)
        )

    # -- one item -------------------------------------------------------------------------------------------------

    @property
    def keys(self) -> tuple[str, ...]:
        """The field keys in catalogue (template column) order."""
        return tuple(f.key for f in self.fields)

    @property
    def extra_keys(self) -> tuple[str, ...]:
        """The product's extra field keys (``extra_fields``), in catalogue order."""
        return tuple(f.key for f in self.extra_fields)

    @property
    def record_keys(self) -> tuple[str, ...]:
        """Every field of a record of the item: the Annex 1 fields, then the extra fields."""
        return self.keys + self.extra_keys

    def withheld(self, record) -> bool:
        """Whether ``record`` (any object with the item's fields) must never be public (``not_published``)."""
        return any(getattr(record, key, None) in values for key, values in self.not_published.items())

    def withheld_filter(self) -> dict[str, tuple[str, ...]]:
        """``not_published`` as ORM look-ups on the typed record (``{"nature__in": ("处分",)}``)."""
        return {f"{key}__in": values for key, values in self.not_published.items()}

    def field(self, key: str) -> FieldSpec:
        try:
            return self._by_key[key]
        except KeyError:
            raise LookupError(f"item {self.no} has no field {key!r}") from None

    @property
    def is_natural_person(self) -> bool:
        return self.subject_type == "自然人"

    @property
    def is_recognition(self) -> bool:
        """An award or recognition (评优评先、示范认定): its subject is checked for live dishonesty (信用审查)."""
        return self.credit_check == RECOGNITION

    @property
    def is_negative(self) -> bool:
        """A 失信信息 item: what a credit check counts against a recognition."""
        return self.info_category == NEGATIVE_CATEGORY

    @property
    def is_semiannual(self) -> bool:
        return self.deadline_kind == SEMIANNUAL

    @property
    def document_number_field(self) -> str | None:
        """The field holding the decision's document number (文书号/文号) when the item has one: the field answering
        the penalty's 行政处罚决定书文号 (``cf_wsh``), or the red-list entry's number when it is one field as is."""
        if self.penalty_columns and self.penalty_columns.columns.get("cf_wsh"):
            return self.penalty_columns.columns["cf_wsh"]
        template = self.red_list_entry.document_number if self.red_list_entry else ""
        key = template[1:-1] if template.startswith("{") and template.endswith("}") else ""
        return key if key in self.keys else None

    @property
    def date_fields(self) -> tuple[str, ...]:
        return tuple(f.key for f in self.fields if f.type == "date")

    @classmethod
    def from_json(cls, data: Mapping) -> ItemSpec:
        fields = tuple(FieldSpec.from_json(f) for f in data["fields"])
        extra_fields = tuple(FieldSpec.from_json(f, extra=True) for f in data.get("extra_fields", ()))
        deadline = data["deadline"]
        any_office = not isinstance(data["offices"], list)
        publication = data.get("publication") or {}
        publicity = data.get("publicity", NOT_PUBLIC)
        item = cls(
            no=data["no"],
            name=data["name"],
            name_en=data.get("en", ""),
            subject_type=data["subject_type"],
            info_category=data["info_category"],
            sharing_scope=data["sharing_scope"],
            validity=data["validity"],
            offices_text=data["offices_text"],
            offices=() if any_office else tuple(data["offices"]),
            any_office=any_office,
            deadline_text=data["deadline_text"],
            deadline_kind=deadline["kind"],
            deadline_days=deadline.get("days"),
            deadline_from=deadline.get("from", ""),
            publicity=publicity,
            fields=fields,
            natural_key=tuple(data["natural_key"]),
            business_date_field=data.get("business_date_field"),
            business_date_label=data.get("business_date_label") or "业务发生日期",
            subject_name_field=data["subject_name_field"],
            subject_id_field=data["subject_id_field"],
            future_date_fields=tuple(data.get("future_date_fields", ())),
            credit_check=data.get("credit_check", ""),
            penalty_columns=(
                PenaltyColumns(
                    columns=MappingProxyType(dict(publication.get("columns", {}))),
                    suggested=MappingProxyType(dict(publication.get("suggested", {}))),
                )
                if publicity == PENALTY
                else None
            ),
            red_list_entry=_red_list_entry(data["no"], publication) if publicity == RED_LIST else None,
            extra_fields=extra_fields,
            not_published=MappingProxyType(
                {key: tuple(values) for key, values in (data.get("not_published") or {}).items()}
            ),
            repair_requires=MappingProxyType(
                {key: tuple(values) for key, values in (data.get("repair_requires") or {}).items()}
            ),
            evaluation_scope=(
                None
                if data.get("evaluation_scope") is None
                else MappingProxyType({key: tuple(words) for key, words in data["evaluation_scope"].items()})
            ),
            _by_key=MappingProxyType({f.key: f for f in (*fields, *extra_fields)}),
        )
        item._check(data)
        return item

    def _check(self, data: Mapping) -> None:
        """Refuse an entry whose references do not hold together (raised when the catalogue is loaded)."""
        problems = []
        keys = self.record_keys
        if len(set(keys)) != len(keys):
            problems.append("field keys repeat")
        for f in (*self.fields, *self.extra_fields):
            if f.type not in FIELD_TYPES + (EXTRA_FIELD_TYPES if f.extra else ()):
                problems.append(f"field {f.key!r} has unknown type {f.type!r}")
            if f.extra and f.required:
                problems.append(f"extra field {f.key!r} must be optional")
            if f.default and f.default not in f.values:
                problems.append(f"field {f.key!r} default is not among its values")
            if f.type == "enum" and not f.values:
                problems.append(f"enum field {f.key!r} has no values")
            if f.school_code and f.type != "org_code":
                problems.append(f"only an org_code field may accept a school code ({f.key!r})")
        named = {
            "natural_key": self.natural_key,
            "subject fields": (self.subject_name_field, self.subject_id_field),
            "future_date_fields": self.future_date_fields,
            "not_published": tuple(self.not_published),
            "repair_requires": tuple(self.repair_requires),
            "evaluation_scope": tuple(self.evaluation_scope or ()),
        }
        if self.business_date_field is not None:
            named["business_date_field"] = (self.business_date_field,)
        if self.penalty_columns is not None:
            named["publication"] = (*self.penalty_columns.columns.values(), *self.penalty_columns.suggested.values())
        for what, names in named.items():
            unknown = [n for n in names if n not in keys]
            if unknown:
                problems.append(f"{what} names unknown fields {unknown}")
        if self.business_date_field and data.get("business_date_label"):
            problems.append("business_date_label names a date the clerk enters: business_date_field must be null")
        if self.business_date_field and self.field(self.business_date_field).type != "date":
            problems.append("business_date_field is not a date field")
        if not set(self.future_date_fields) <= set(self.date_fields):
            problems.append("future_date_fields must be date fields")
        if self.credit_check not in CREDIT_CHECK_KINDS:
            problems.append(f"unknown credit_check {self.credit_check!r}")
        if self.evaluation_scope is not None and self.is_natural_person:
            problems.append("only an organisation item may mark the credit evaluation's scope")
        if self.is_recognition and self.is_negative:
            problems.append("a 失信信息 item cannot be a recognition")
        if self.publicity not in PUBLICITY_KINDS:
            problems.append(f"unknown publicity {self.publicity!r}")
        if self.publicity == PENALTY:
            missing = [c for c in PENALTY_REQUIRED_COLUMNS if c not in self.penalty_columns.columns]
            if missing:
                problems.append(f"a penalty item must answer the national columns {missing}")
        elif self.publicity == RED_LIST:
            templates = (
                self.red_list_entry.document_number,
                self.red_list_entry.content,
                self.red_list_entry.authority,
            )
            used = {name for text in templates for _lit, name, _spec, _conv in Formatter().parse(text) if name}
            unknown = sorted(used - set(keys) - {"office", "bureau"})
            if unknown:
                problems.append(f"the red-list entry names unknown fields {unknown}")
        elif data.get("publication"):
            problems.append("only penalty and red-list items have a publication mapping")
        if self.deadline_kind not in (SEMIANNUAL, WORKING_DAYS):
            problems.append(f"unknown deadline kind {self.deadline_kind!r}")
        if problems:
            raise ImproperlyConfigured(f"catalogue item {self.no}: " + "; ".join(problems))


def _red_list_entry(no: int, publication: Mapping) -> RedListEntry:
    expected = {"document_number", "content", "authority"}
    if set(publication) != expected:
        raise ImproperlyConfigured(f"catalogue item {no}: a red-list publication has exactly {sorted(expected)}")
    return RedListEntry(**{key: _with_bureau(text) for key, text in publication.items()})


def _with_bureau(template: str) -> str:
    """``template`` with ``{bureau}`` replaced by the bureau's name (its braces doubled, so it stays literal)."""
    if "{bureau}" not in template:
        return template
    from django.conf import settings

    return template.replace("{bureau}", settings.BUREAU_NAME.replace("{", "{{").replace("}", "}}"))


@cache
def load_catalog() -> dict:
    """The catalogue as stored: Annex 1 items (with the product's per-item decisions), offices, Annex 2 indicators."""
    with CATALOG_PATH.open(encoding="utf-8") as fh:
        return json.load(fh)


@cache
def _items() -> Mapping[int, ItemSpec]:
    catalogue = load_catalog()
    offices = {office["code"] for office in catalogue["offices"]}
    items: dict[int, ItemSpec] = {}
    for data in catalogue["items"]:
        item = ItemSpec.from_json(data)
        if item.no in items:
            raise ImproperlyConfigured(f"catalogue item {item.no} is declared twice")
        if not set(item.offices) <= offices:
            raise ImproperlyConfigured(
                f"catalogue item {item.no}: unknown offices {sorted(set(item.offices) - offices)}"
            )
        items[item.no] = item
    return MappingProxyType(items)


def catalog_item(no: int) -> dict:
    """The stored entry of item ``no`` (as in ``catalog.json``)."""
    return next(item for item in load_catalog()["items"] if item["no"] == no)


def catalog_field(no: int, key: str) -> FieldSpec:
    """The catalogue entry (name, type, required, values, rule) of one item field, found by its key."""
    return ItemSpec.get(no).field(key)
