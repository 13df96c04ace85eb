"""Form fields shared by the apps' forms and admins."""

import re

from django import forms
from django.core.exceptions import ValidationError

# The widest integer key any of our databases stores (bigint); a larger "id" is no choice at all.
_MAX_KEY = 2**63 - 1
# What int() and the database take as a number ("²" and "٣" are digits to str.isdigit, not to int()).
_ASCII_INTEGER = re.compile(r"-?[0-9]+")


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A multiple choice of rows that refuses, as an invalid choice, a key no database integer can hold.

    Django passes the posted values straight into ``pk IN (…)``: SQLite's driver raises OverflowError and PostgreSQL
    "integer out of range" for a 25-digit value, a 500 instead of the field's own message.
    """

    def _check_values(self, value):
        for pk in value:
            text = str(pk).strip()
            if _ASCII_INTEGER.fullmatch(text) and abs(int(text)) > _MAX_KEY:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": text[:30]}
                )
        return super()._check_values(value)
