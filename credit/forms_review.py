"""The reviewer's approve form: approving a penalty record (items 2 and 8) also confirms its publication (双公示).

The national 双公示 columns Annex 1 lacks are asked here, pre-filled from the record (``penalty_defaults``); what is
left blank falls back to those defaults, so an untouched form publishes whatever the record already answers.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from publicity.models.publications import PENALTY_CATEGORIES

# The publication columns ``publicity.services.publications.publication_publish`` takes besides the record.
PUBLICATION_FIELDS = ("decision_number", "offence_type", "offence_facts", "penalty_basis", "penalty_category")


class ApproveForm(forms.Form):
    """审核通过, and for a penalty 同时公示 with the national columns and the publicity end.

    ``publish`` is a checkbox: absent from a browser POST means unticked. A POST that does not come from this form
    (the queue's row button, an older page) carries no ``publication_form`` marker and publishes by default, as the
    API does.
    """

    publication_form = forms.BooleanField(required=False, widget=forms.HiddenInput, initial=True)
    publish = forms.BooleanField(label=_("同时公示"), required=False, initial=True)
    decision_number = forms.CharField(label=_("行政处罚决定书文号"), max_length=100, required=False)
    offence_type = forms.CharField(label=_("违法行为类型"), max_length=200, required=False)
    offence_facts = forms.CharField(
        label=_("违法事实"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    penalty_basis = forms.CharField(
        label=_("处罚依据"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    penalty_category = forms.ChoiceField(
        label=_("处罚类别"), required=False, choices=[("", "—"), *((c, c) for c in PENALTY_CATEGORIES)]
    )
    publicity_end = forms.DateField(
        label=_("公示截止日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("处罚决定日期后三个月至三年，默认三年。"),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_approve_%s")  # the record page also has the return form's fields
        super().__init__(*args, **kwargs)

    @property
    def wants_publication(self) -> bool:
        """Whether the reviewer confirmed publication (the default when the POST did not come from this form)."""
        if not self.cleaned_data.get("publication_form"):
            return True
        return bool(self.cleaned_data.get("publish"))

    def publication_values(self) -> dict:
        """The values for ``publication_publish``: only those entered (blank ones keep the record's defaults)."""
        values = {key: self.cleaned_data[key] for key in PUBLICATION_FIELDS if self.cleaned_data.get(key)}
        if self.cleaned_data.get("publicity_end"):
            values["publicity_end"] = self.cleaned_data["publicity_end"]
        return values
