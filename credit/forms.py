"""Form behaviour shared by every item's generated record form, and the small forms of the review workflow."""

import copy

from django import forms
from django.utils.translation import gettext_lazy as _

from publicity.forms import PublishForm

# What a reviewer may give when publishing a penalty (``publication_publish``'s keyword arguments besides the record):
# the national 双公示 columns Annex 1 lacks, and the publicity end. One list for the publication page, the approve
# form and the API.
PUBLICATION_FIELDS = tuple(PublishForm.base_fields)


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


class ApproveForm(forms.Form):
    """审核通过, and for a penalty (items 2 and 8) 同时公示 with the national columns and the publicity end.

    The publication fields are those of the publication page (``publicity.forms.PublishForm``), optional here: they
    are pre-filled from the record (``penalty_defaults``) and a blank one keeps that default, so an untouched form
    publishes whatever the record already answers. ``publish`` is a checkbox: absent from a browser POST means
    unticked. A POST that does not come from this form (the queue's row button, an older page) carries no
    ``publication_form`` marker and publishes by default, as the API does.
    """

    publication_form = forms.BooleanField(required=False, widget=forms.HiddenInput, initial=True)
    publish = forms.BooleanField(label=_("同时公示"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_approve_%s")  # the record page also has the return form's fields
        super().__init__(*args, **kwargs)
        for name in PUBLICATION_FIELDS:
            self.fields[name] = field = copy.deepcopy(PublishForm.base_fields[name])
            field.required = False

    @property
    def wants_publication(self) -> bool:
        """Whether the reviewer confirmed publication (the default when the POST did not come from this form)."""
        if not self.cleaned_data.get("publication_form"):
            return True
        return bool(self.cleaned_data.get("publish"))

    def publication_values(self) -> dict:
        """The values for ``publication_publish``: only those entered (blank ones keep the record's defaults)."""
        return {key: value for key in PUBLICATION_FIELDS if (value := self.cleaned_data.get(key))}
