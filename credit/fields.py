"""Model fields for the catalog's field types (``field_types`` in catalog.json).

Each builder takes the item number and the field key, and reads the field's Chinese name, whether it is required
and its allowed values from the catalog, so a model declares only which key has which type.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models

from credit import crypto, validators
from credit.catalog import catalog_field


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


def _common(no: int, key: str) -> dict:
    spec = catalog_field(no, key)
    required = spec.get("required", False)
    return {"verbose_name": spec["name"], "blank": not required}


def text(no: int, key: str, max_length: int = 200) -> models.CharField:
    return models.CharField(max_length=max_length, **_common(no, key))


def long_text(no: int, key: str) -> models.TextField:
    return models.TextField(max_length=4000, **_common(no, key))


def person_name(no: int, key: str) -> models.CharField:
    return models.CharField(max_length=30, validators=[validators.validate_person_name], **_common(no, key))


# Column width of an encrypted identifier: "enc1:" + base64 of (16-byte tag + up to 30 bytes) fits in 96.
ENCRYPTED_MAX_LENGTH = 96


def cn_id(no: int, key: str) -> models.CharField:
    # Stored encrypted (等保2.0 personal data at rest); the validator checks the 18 characters of the plaintext.
    return EncryptedCharField(
        max_length=ENCRYPTED_MAX_LENGTH,
        validators=[validators.validate_cn_id],
        normalize=validators.normalize_cn_id,
        **_common(no, key),
    )


def doc_number(no: int, key: str) -> models.CharField:
    # Validated against the record's 证件类型 in the model's clean(); stored encrypted like cn_id.
    return EncryptedCharField(
        max_length=ENCRYPTED_MAX_LENGTH,
        validators=[MaxLengthValidator(30)],
        normalize=validators.normalize_cn_id,
        **_common(no, key),
    )


def org_code(no: int, key: str) -> models.CharField:
    return NormalizedCharField(
        max_length=20,
        validators=[validators.validate_org_code],
        normalize=validators.normalize_org_code,
        **_common(no, key),
    )


def date(no: int, key: str) -> models.DateField:
    return CatalogDateField(null=not catalog_field(no, key).get("required", False), **_common(no, key))


def year(no: int, key: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        validators=[validators.validate_year],
        null=not catalog_field(no, key).get("required", False),
        **_common(no, key),
    )


def phone(no: int, key: str) -> models.CharField:
    return models.CharField(max_length=32, validators=[validators.validate_phone], **_common(no, key))


def enum(no: int, key: str) -> models.CharField:
    values = catalog_field(no, key)["values"]
    return models.CharField(
        max_length=max(len(v) for v in values) + 4, choices=[(v, v) for v in values], **_common(no, key)
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
