"""Form behaviour shared by every item's generated record form."""

from django import forms


class RecordFormBase(forms.ModelForm):
    """Pre-fills the business date (业务发生日期) from the item's natural date field when it is left empty."""

    def clean(self):
        cleaned = super().clean()
        natural = self._meta.model.BUSINESS_DATE_FIELD
        if natural and not cleaned.get("business_date") and cleaned.get(natural):
            cleaned["business_date"] = cleaned[natural]
        return cleaned
