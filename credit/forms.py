"""Every item's generated record form (``form_for_item``), the behaviour they share, and the small forms of the review
workflow."""

from functools import cache

from django import forms
from django.utils.translation import gettext_lazy as _

from credit.registry import model_for_item


class RecordFormBase(forms.ModelForm):
    """Pre-fills the business date (业务发生日期) from the item's natural date field when it is left empty."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(field, forms.DateField):
                # The browser's date picker; the field still accepts 2026/2/28 and 2026年2月28日 from the API and imports.
                widget.input_type = "date"
                widget.format = "%Y-%m-%d"
            if isinstance(widget, forms.Textarea):
                widget.attrs["rows"] = 3
            widget.attrs.setdefault("data-key", name)
            if field.required:
                widget.attrs.setdefault("aria-required", "true")

    def clean(self):
        cleaned = super().clean()
        for key in self._meta.model.extra_keys():  # an extra field left empty takes the catalogue's default
            default = self._meta.model._meta.get_field(key).get_default()
            if key in self.fields and cleaned.get(key) in (None, "") and default not in (None, ""):
                cleaned[key] = default
        # The business date is the catalogue's natural date field where it names one: left empty, or left as it was
        # while that date changed, it follows it; typed differently, the model refuses it (``Record.clean``).
        natural = self._meta.model.BUSINESS_DATE_FIELD
        if natural and cleaned.get(natural):
            if not cleaned.get("business_date") or "business_date" not in self.changed_data:
                cleaned["business_date"] = cleaned[natural]
        return cleaned


@cache
def form_for_item(no: int) -> type[forms.ModelForm]:
    """The record form of item ``no``: catalog fields in catalog order, then the business date."""
    model = model_for_item(no)
    keys = list(model.record_keys())
    form = forms.modelform_factory(model, form=RecordFormBase, fields=[*keys, "business_date"])
    business_date = form.base_fields["business_date"]
    business_date.required = model.BUSINESS_DATE_FIELD is None
    business_date.label = model.BUSINESS_DATE_LABEL
    business_date.help_text = (
        f"与“{model._meta.get_field(model.BUSINESS_DATE_FIELD).verbose_name}”相同，留空即自动填入"
        if model.BUSINESS_DATE_FIELD
        else "报送期限自该日期起算"
    )
    return form


class ReasonForm(forms.Form):
    """A reviewer's reason (退回 / 撤销); required where the action needs one."""

    reason = forms.CharField(label=_("理由"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ChangeNoteForm(forms.Form):
    note = forms.CharField(
        label=_("变更说明"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
