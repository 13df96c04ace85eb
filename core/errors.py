"""The one domain error of the portal: what a service refuses, as Chinese messages per field key.

Services raise a ``DomainError`` subclass of their app (``RecordError``, ``PublicityError``, ``BatchError``,
``IndicatorError``); the caller shows it where the user looks: ``add_to(form)`` under the form's fields,
``messages`` for the messages framework, ``detail`` as an API body (``core.api.exception_handler`` answers 400, 403 for
a ``ForbiddenError``, 409 for a ``StateError``). The same shape everywhere means the same key for errors that belong to
no field.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS as DJANGO_NON_FIELD
from django.core.exceptions import PermissionDenied

# DRF's key for errors of no field; Django forms use "__all__", which the error reads as the same thing.
NON_FIELD = "non_field_errors"

Errors = Mapping[str, Iterable[str]] | Iterable[str] | str


def _normalised(errors: Errors) -> dict[str, list[str]]:
    if isinstance(errors, str):
        return {NON_FIELD: [errors]}
    if not isinstance(errors, Mapping):
        return {NON_FIELD: [str(message) for message in errors]}
    out: dict[str, list[str]] = {}
    for key, messages in errors.items():
        key = NON_FIELD if key in (None, DJANGO_NON_FIELD) else key
        messages = [messages] if isinstance(messages, str) else messages
        out.setdefault(key, []).extend(str(message) for message in messages)
    return out


class DomainError(Exception):
    """A write the domain refuses (invalid input, a rule); ``errors`` maps field keys (or ``NON_FIELD``) to Chinese
    messages that name the field, e.g. ``{"reason": ["退回理由：请填写退回理由。"]}``.

    ``code`` says why in a word, for callers that branch on it; ``form`` is the bound form that failed, when the
    service validated through one (it already shows the messages under its fields).
    """

    status_code = 400
    default_code = "invalid"

    def __init__(self, errors: Errors, *, code: str | None = None, form: forms.BaseForm | None = None):
        self.errors = _normalised(errors)
        self.code = code or self.default_code
        self.form = form
        super().__init__("; ".join(self.messages))

    @property
    def messages(self) -> list[str]:
        """Every message, field errors first in key order, for ``django.contrib.messages`` or a log line."""
        return [message for messages in self.errors.values() for message in messages]

    @property
    def detail(self) -> dict[str, list[str]]:
        """The API body: field key → messages, ``non_field_errors`` for the rest (DRF's own shape)."""
        return {key: list(messages) for key, messages in self.errors.items()}

    def add_to(self, form: forms.BaseForm) -> forms.BaseForm:
        """Show these errors on the bound ``form``: under their field when it has one, else as non-field errors.

        The form that failed in the service (``self.form``) already shows them and is returned as it is.
        """
        if form is self.form:
            return form
        for key, messages in self.errors.items():
            for message in messages:
                form.add_error(key if key in form.fields else None, message)
        return form


class StateError(DomainError):
    """The object is not (or no longer) in a state that allows the action: a stale page, a double click, another
    user first. The API answers 409 Conflict."""

    status_code = 409
    default_code = "state"


class ForbiddenError(DomainError, PermissionDenied):
    """The user may not act with a value they sent, e.g. an office that is not theirs: an authorization refusal (the
    same request from another user would succeed), so the API answers 403, keyed by that field like any domain error.

    It is also Django's ``PermissionDenied``: a page that does not show it under the field answers 403 as for any
    refusal of rights.
    """

    status_code = 403
    default_code = "forbidden"


def form_errors(form: forms.BaseForm) -> dict[str, list[str]]:
    """The errors of the invalid bound ``form`` keyed by field, each message prefixed by the field's Chinese label
    (for the API and the import, where no form shows the label); errors of no field under ``NON_FIELD``."""
    out: dict[str, list[str]] = {}
    for key, messages in form.errors.items():
        if key == DJANGO_NON_FIELD or key not in form.fields:
            out.setdefault(NON_FIELD, []).extend(messages)
            continue
        label = form.fields[key].label
        out[key] = [f"{label}：{message}" if label else message for message in messages]
    return out
