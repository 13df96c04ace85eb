"""Item number → typed record model, and the ModelForm generated from it (one form per item, not ten copies)."""

from collections.abc import Mapping
from functools import cache
from types import MappingProxyType

from django import forms

from credit import models as m
from credit.forms import RecordFormBase

# Filled by the typed models themselves as they are declared (``class FooRecord(Record, item=11)``); a live view, so
# a typed model declared in another installed app is found too.
ITEM_MODELS: Mapping[int, type[m.Record]] = MappingProxyType(m.Record.item_models)


def model_for_item(no: int) -> type[m.Record]:
    return ITEM_MODELS[no]


@cache
def form_for_item(no: int) -> type[forms.ModelForm]:
    """The record form of item ``no``: catalog fields in catalog order, then the business date."""
    model = model_for_item(no)
    keys = list(model.field_keys())
    form = forms.modelform_factory(model, form=RecordFormBase, fields=[*keys, "business_date"])
    business_date = form.base_fields["business_date"]
    business_date.required = model.BUSINESS_DATE_FIELD is None
    business_date.help_text = (
        f"默认取“{model._meta.get_field(model.BUSINESS_DATE_FIELD).verbose_name}”"
        if model.BUSINESS_DATE_FIELD
        else "报送期限自该日期起算"
    )
    return form
