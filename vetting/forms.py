from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

# The largest candidate list, external list or commitment file accepted (web form and API alike).
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def validate_upload_size(upload) -> None:
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("文件：文件过大（上限 %(max)s）。") % {"max": filesizeformat(MAX_UPLOAD_BYTES)}, code="too_large"
        )


class BatchCheckForm(forms.Form):
    title = forms.CharField(
        label=_("审查事由"), max_length=200, required=False, help_text=_("如：2026年度先进集体评选")
    )
    file = forms.FileField(
        validators=[validate_upload_size],
        label=_("候选名单（.xlsx 或 .csv）"),
        help_text=_("第1行为表头，须有“名称”（或“姓名”）和“身份证号码或统一社会信用代码”两列；最多5000行。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".xlsx,.csv"


class ExternalListImportForm(forms.Form):
    file = forms.FileField(
        validators=[validate_upload_size],
        label=_("外部失信名单（.xlsx 或 .csv）"),
        help_text=_(
            "第1行为表头，须有“名称”“统一社会信用代码或身份证号码”“名单名称”列，可有“列入依据”“列入日期”“截止日期”。"
            "文件中出现的每个名单都将以本次导入的内容整体替换。"
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".xlsx,.csv"


class CommitmentImportForm(forms.Form):
    file = forms.FileField(
        validators=[validate_upload_size],
        label=_("信用承诺（.xlsx 或 .csv）"),
        help_text=_(
            "第1行为表头：主体名称、统一社会信用代码、承诺类型、承诺内容、承诺日期、承诺来源，可有“履约状态”（履约中或已履约）。"
        ),
    )


class CommitmentStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("履约状态"), choices=())
    breach_record = forms.IntegerField(label=_("失信记录编号"), required=False, min_value=1, max_value=2**62)
    note = forms.CharField(label=_("履约情况说明"), required=False, max_length=2000)

    def __init__(self, *args, **kwargs):
        from vetting.models import CommitmentStatus

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = CommitmentStatus.choices
