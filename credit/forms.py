"""Form behaviour shared by every item's generated record form, and the small forms of the review workflow."""

from django import forms
from django.utils.translation import gettext_lazy as _


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
        natural = self._meta.model.BUSINESS_DATE_FIELD
        if natural and not cleaned.get("business_date") and cleaned.get(natural):
            cleaned["business_date"] = cleaned[natural]
        return cleaned


class ReasonForm(forms.Form):
    """A reviewer's reason (退回 / 撤销); required where the action needs one."""

    reason = forms.CharField(label=_("理由"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ChangeNoteForm(forms.Form):
    note = forms.CharField(
        label=_("变更说明"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
