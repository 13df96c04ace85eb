"""Forms of the oversight pages: the period chooser, progress entries, the General Office's decision, bulletins."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oversight.models import ProgressEntry
from oversight.periods import PeriodError, PeriodKind, parse_period
from oversight.validators import ALLOWED_SUFFIXES, MAX_ATTACHMENT_BYTES


class PeriodForm(forms.Form):
    period = forms.CharField(
        label=_("统计期间"),
        max_length=7,
        required=False,
        help_text=_("如 2026-03（月）、2026Q1（季度）、2026H1（半年）、2026（年度）"),
    )

    def clean_period(self):
        value = self.cleaned_data.get("period") or str(timezone.localdate().year)
        try:
            return parse_period(value)
        except PeriodError as exc:
            raise forms.ValidationError(str(exc)) from None


class BulletinForm(PeriodForm):
    """A bulletin covers a month or a quarter."""

    period = forms.CharField(label=_("通报期间"), max_length=7, help_text=_("月份如 2026-03，季度如 2026Q1"))

    def clean_period(self):
        period = super().clean_period()
        if period.kind not in {PeriodKind.MONTH, PeriodKind.QUARTER}:
            raise forms.ValidationError(_("工作通报按月或按季度生成：请填写如 2026-03 或 2026Q1。"))
        return period


class ProgressEntryForm(forms.ModelForm):
    office = forms.ModelChoiceField(queryset=None, label=_("填报处室"), empty_label=None)
    link = forms.URLField(label=_("链接"), required=False, max_length=500, assume_scheme="https")

    class Meta:
        model = ProgressEntry
        fields = ["office", "text", "link", "attachment"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 4}),
            "attachment": forms.ClearableFileInput(attrs={"accept": ",".join(ALLOWED_SUFFIXES)}),
        }
        help_texts = {
            "attachment": _("可选；PDF、PNG、JPG、DOCX、XLSX、OFD，不超过 %(mb)d MB。")
            % {"mb": MAX_ATTACHMENT_BYTES // 2**20},
        }

    def __init__(self, *args, offices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices
        if offices.count() == 1:
            self.fields["office"].initial = offices.first()


class DecisionForm(forms.Form):
    comment = forms.CharField(label=_("意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
