"""Form fields shared by the apps' forms and admins."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

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


def _attributes(attrs: dict) -> SafeString:
    """HTML attributes as Django's ``attrs.html`` writes them: ``False`` left out, ``True`` as the bare name."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False
        ),
    )


class PlainSelect(forms.Select):
    """A ``<select>`` written in Python, markup as Django's own template writes it.

    Django renders each option through two included templates; the workspace's filter forms show about sixty options
    on every list page (items, statuses, offices, orderings), which cost 8 ms of each page's rendering — as much as its
    queries. Here one pass of ``format_html``; what the options are and which is selected still come from Django's
    ``get_context`` (``optgroups``)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = []
        for group_name, options, _index in widget["optgroups"]:
            rendered = format_html_join(
                "",
                '\n  <option value="{}"{}>{}</option>\n',
                ((option["value"], _attributes(option["attrs"]), option["label"]) for option in options),
            )
            if group_name:
                rendered = format_html('\n  <optgroup label="{}">{}\n  </optgroup>', group_name, rendered)
            parts.append(rendered)
        return format_html(
            '<select name="{}"{}>{}\n</select>', widget["name"], _attributes(widget["attrs"]), mark_safe("".join(parts))
        )
