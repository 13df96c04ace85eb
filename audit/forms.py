import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from audit.models import AuditAction, AuditOutcome

# The log cannot hold events outside these years; a date beyond them is a typo (or 9999-12-31 for "until forever",
# whose next day Python cannot compute), answered with a form error rather than a query.
DATE_MIN = datetime.date(2000, 1, 1)
DATE_MAX = datetime.date(2100, 12, 31)


class AuditFilterForm(forms.Form):
    user = forms.CharField(label=_("用户名"), required=False, max_length=150)
    action = forms.ChoiceField(label=_("操作"), required=False, choices=[("", _("全部"))] + AuditAction.choices)
    outcome = forms.ChoiceField(label=_("结果"), required=False, choices=[("", _("全部"))] + AuditOutcome.choices)
    date_from = forms.DateField(label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    object_type = forms.CharField(label=_("对象类型"), required=False, max_length=100)
    object_id = forms.CharField(label=_("对象编号"), required=False, max_length=64)
    q = forms.CharField(label=_("关键词"), required=False, max_length=100)

    def _clean_in_range(self, name: str):
        value = self.cleaned_data.get(name)
        if value is not None and not DATE_MIN <= value <= DATE_MAX:
            raise forms.ValidationError(
                _("%(label)s应在 %(min)s 至 %(max)s 之间。"),
                code="date_range",
                params={"label": self.fields[name].label, "min": DATE_MIN.isoformat(), "max": DATE_MAX.isoformat()},
            )
        return value

    def clean_date_from(self):
        return self._clean_in_range("date_from")

    def clean_date_to(self):
        return self._clean_in_range("date_to")

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("起始日期不能晚于截止日期。"))
        return data
