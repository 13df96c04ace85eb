"""Model fields for the catalogue's field types (``field_types`` in credit/catalog/catalog.json).

Each builder names only the type (and a width where the type leaves it open); the field's Chinese name, whether it
is required and its allowed values are read from the catalogue entry of the model's item, found by the attribute
name, so a typed model declares only which key has which type.
"""

import datetime

from django import forms
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models

from credit import crypto, validators
from credit.catalog import FieldSpec, ItemSpec


class CatalogDateFormField(forms.DateField):
    """A date typed the ways people type them: 2026-02-28, 2026/2/28, 2026年2月28日, or an Excel date cell."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        try:
            return validators.parse_date(value)
        except ValidationError as exc:
            raise ValidationError(exc.messages[0], code="invalid") from exc


class CatalogDateField(models.DateField):
    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": CatalogDateFormField, **kwargs})


class NormalizedCharFormField(forms.CharField):
    """A CharField that normalises its input (full-width → half-width, upper case) before validation."""

    def __init__(self, *, normalize=None, **kwargs):
        self.normalize = normalize
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value and self.normalize:
            value = self.normalize(value)
        return value


class NormalizedCharField(models.CharField):
    def __init__(self, *args, normalize=None, **kwargs):
        self.normalize = normalize
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        path = "django.db.models.CharField"  # the normaliser is behaviour, not schema
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": NormalizedCharFormField, "normalize": self.normalize, **kwargs})


class CatalogField:
    """A typed record field whose name, required flag and allowed values come from the item catalogue.

    Declared on a typed record model without repeating the item or the key (``org_code = fields.org_code()``): when
    the model class is built, ``contribute_to_class`` looks the field up in the model's catalogue item
    (``cls.ITEM_NO``, set by ``Record.__init_subclass__``) by its attribute name, builds the real Django field and
    adds that in its place, keeping the declaration's position among the model's fields.
    """

    def __init__(self, field_type: str, build, **options) -> None:
        self.field_type = field_type
        self.build = build
        self.options = options
        # Take a place in the field order now, as a Django field would when declared.
        self.creation_counter = models.Field.creation_counter
        models.Field.creation_counter += 1

    def contribute_to_class(self, cls, name: str) -> None:
        spec = ItemSpec.get(cls.ITEM_NO).field(name)
        if spec.type != self.field_type:
            raise ImproperlyConfigured(
                f"{cls.__name__}.{name} is declared {self.field_type}, the catalogue says {spec.type}"
            )
        field = self.build(spec, **self.options)
        field.creation_counter = self.creation_counter
        cls.add_to_class(name, field)


def _common(spec: FieldSpec) -> dict:
    common = {"verbose_name": spec.name, "blank": not spec.required}
    if spec.default:
        common["default"] = spec.default
    if spec.rule_zh and spec.extra:
        common["help_text"] = spec.rule_zh  # an extra field says on the form what it is for
    return common


def _char(spec: FieldSpec, *, max_length: int) -> models.CharField:
    return models.CharField(max_length=max_length, **_common(spec))


def text(max_length: int = 200) -> CatalogField:
    return CatalogField("text", _char, max_length=max_length)


def long_text() -> CatalogField:
    return CatalogField("long_text", lambda spec: models.TextField(max_length=4000, **_common(spec)))


def person_name() -> CatalogField:
    return CatalogField(
        "person_name",
        lambda spec: models.CharField(max_length=30, validators=[validators.validate_person_name], **_common(spec)),
    )


# Column width of an encrypted identifier: "enc1:" + base64 of (16-byte tag + up to 30 bytes) fits in 96.
ENCRYPTED_MAX_LENGTH = 96


def cn_id() -> CatalogField:
    # Stored encrypted (等保2.0 personal data at rest); the validator checks the 18 characters of the plaintext.
    return CatalogField(
        "cn_id",
        lambda spec: EncryptedCharField(
            max_length=ENCRYPTED_MAX_LENGTH,
            validators=[validators.validate_cn_id],
            normalize=validators.normalize_cn_id,
            **_common(spec),
        ),
    )


def doc_number() -> CatalogField:
    # Validated against the record's 证件类型 in the model's clean(); stored encrypted like cn_id.
    return CatalogField(
        "doc_number",
        lambda spec: EncryptedCharField(
            max_length=ENCRYPTED_MAX_LENGTH,
            validators=[MaxLengthValidator(30)],
            normalize=validators.normalize_cn_id,
            **_common(spec),
        ),
    )


def org_code() -> CatalogField:
    return CatalogField(
        "org_code",
        lambda spec: NormalizedCharField(
            max_length=20,
            validators=[validators.validate_school_or_org_code if spec.school_code else validators.validate_org_code],
            normalize=validators.normalize_org_code,
            **_common(spec),
        ),
    )


def date() -> CatalogField:
    return CatalogField("date", lambda spec: CatalogDateField(null=not spec.required, **_common(spec)))


def year() -> CatalogField:
    return CatalogField(
        "year",
        lambda spec: models.PositiveSmallIntegerField(
            validators=[validators.validate_year], null=not spec.required, **_common(spec)
        ),
    )


def phone() -> CatalogField:
    return CatalogField(
        "phone",
        lambda spec: models.CharField(max_length=32, validators=[validators.validate_phone], **_common(spec)),
    )


def enum() -> CatalogField:
    return CatalogField(
        "enum",
        lambda spec: models.CharField(
            max_length=max(len(v) for v in spec.values) + 4,
            choices=[(v, v) for v in spec.values],
            **_common(spec),
        ),
    )


def amount() -> CatalogField:
    """An amount in 万元 (the national standard's unit), at most six decimals (one yuan is 0.0001 万元)."""
    return CatalogField(
        "amount",
        lambda spec: models.DecimalField(
            max_digits=16,
            decimal_places=6,
            null=True,
            validators=[MinValueValidator(0)],
            **_common(spec),
        ),
    )


class EncryptedCharField(NormalizedCharField):
    """A personal identifier stored encrypted (see ``credit.crypto``); exact-match look-ups keep working.

    ``max_length`` is the column width of the ciphertext; the plaintext's own length is checked by its validator.
    """

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, "") or str(value).startswith(crypto.PREFIX):
            return value
        return crypto.encrypt(str(value))

    def from_db_value(self, value, expression, connection):
        return crypto.decrypt(value) if value else value

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        return name, "credit.fields.EncryptedCharField", args, kwargs


# Field keys whose values are personal identifiers wherever they appear in stored JSON (e.g. proposed changes).
PERSONAL_KEYS = frozenset({"id_number", "doc_number"})


class PersonalDataJSONField(models.JSONField):
    """A JSON object whose personal identifiers (``PERSONAL_KEYS``) are stored encrypted like the columns."""

    def get_prep_value(self, value):
        if isinstance(value, dict):
            value = {
                k: crypto.encrypt(v)
                if k in PERSONAL_KEYS and isinstance(v, str) and v and not v.startswith(crypto.PREFIX)
                else v
                for k, v in value.items()
            }
        return super().get_prep_value(value)

    def from_db_value(self, value, expression, connection):
        value = super().from_db_value(value, expression, connection)
        if isinstance(value, dict):
            value = {k: crypto.decrypt(v) if k in PERSONAL_KEYS and isinstance(v, str) else v for k, v in value.items()}
        return value
