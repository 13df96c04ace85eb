"""Forms of the reporting pages (input only: the services do the work)."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from credit.models import Item, Office
from reporting.columns import CHANGE_REASON_COLUMN, RECORD_NUMBER_COLUMN
from reporting.models import BatchFormat, BatchKind, ImportMode
from reporting.services.batches import item_batch_format_error


class ImportUploadForm(forms.Form):
    item = forms.ModelChoiceField(label=_("信用信息事项"), queryset=Item.objects.none())
    office = forms.ModelChoiceField(label=_("报送处室"), queryset=Office.objects.none())
    mode = forms.ChoiceField(
        label=_("导入方式"),
        choices=ImportMode.choices,
        initial=ImportMode.CREATE,
        required=False,  # absent: create, as before the update mode existed
        widget=forms.RadioSelect,
        help_text=_(
            "更新已有记录：每行更新本处室的一条记录，按第一列前可加的“%(number)s”列找到记录（没有该列时按查重的"
            "关键字段）；草稿、已退回的记录直接修改，待审核、已通过的记录修改后送审核（已通过的记录提出变更申请，"
            "审核通过前原记录与公示内容不变），须在可加的“%(reason)s”列填写理由。任何一行有错误，全部记录都不修改。"
        )
        % {"number": RECORD_NUMBER_COLUMN, "reason": CHANGE_REASON_COLUMN},
    )
    file = forms.FileField(label=_("填写好的上传模板（.xlsx）"))
    submit = forms.BooleanField(
        label=_("导入后直接提交审核"),
        required=False,
        help_text=_("更新已有记录时，只对更新的草稿、已退回记录生效。"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        offices = user.offices.all()
        self.fields["office"].queryset = offices
        owned = Item.objects.filter(any_office=True) | Item.objects.filter(offices__in=offices)
        self.fields["item"].queryset = owned.distinct().order_by("no")
        self.fields["file"].widget.attrs["accept"] = ".xlsx"

    def clean_mode(self):
        return self.cleaned_data.get("mode") or ImportMode.CREATE

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.REPORTING_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("文件过大（上限 %(max)s）。") % {"max": filesizeformat(settings.REPORTING_IMPORT_MAX_BYTES)}
            )
        return upload


class ManualUploadForm(forms.Form):
    receipt = forms.CharField(label=_("平台回执号"), max_length=200)
    note = forms.CharField(label=_("备注"), max_length=500, required=False)


# The formats a reviewer may make a batch in by hand. The municipal licence and black-list files carry decisions, not
# an item's records: the daily task makes them (``decision_batches_create``), so each decision is delivered once.
MANUAL_BATCH_FORMATS = (
    BatchFormat.UPLOAD_TEMPLATE,
    BatchFormat.DOUBLE_PUBLICITY,
    BatchFormat.DOUBLE_PUBLICITY_LICENCE,
)


class BatchCreateForm(forms.Form):
    item = forms.ModelChoiceField(
        label=_("信用信息事项"),
        queryset=Item.objects.order_by("no"),
        required=False,
        empty_label=_("（行政许可批次无需选择）"),
    )
    kind = forms.ChoiceField(
        label=_("报送类型"),
        choices=[(BatchKind.INCREMENTAL, BatchKind.INCREMENTAL.label), (BatchKind.FULL, BatchKind.FULL.label)],
    )
    format = forms.ChoiceField(label=_("文件格式"), choices=BatchFormat.choices)
    deliver = forms.BooleanField(
        label=_("生成后自动报送"),
        required=False,
        initial=True,
        help_text=_("仅上传模板格式报送市平台；双公示国家标准格式用于省级平台，不自动报送。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Offer only the manual formats; a posted decision format is named and refused in ``clean_format``.
        self.fields["format"].widget.choices = [(f.value, f.label) for f in MANUAL_BATCH_FORMATS]

    def clean_format(self):
        format = self.cleaned_data["format"]
        if format not in MANUAL_BATCH_FORMATS:
            raise forms.ValidationError(
                _(
                    "文件格式：“%(format)s”的批次由每日报送任务生成（每项决定只报送一次），不能手工生成；"
                    "请选择上传模板或双公示国家标准格式。"
                )
                % {"format": BatchFormat(format).label}
            )
        return format

    def clean(self):
        cleaned = super().clean()
        item, format = cleaned.get("item"), cleaned.get("format")
        if format is None:  # refused by clean_format: nothing to check it against
            return cleaned
        if format == BatchFormat.DOUBLE_PUBLICITY_LICENCE:
            if item is not None:
                self.add_error("item", _("行政许可批次导出全部已通过的许可决定，不属于任何事项，请不要选择事项。"))
            if cleaned.get("kind") != BatchKind.FULL:
                self.add_error("kind", _("行政许可批次只能全量生成。"))
            return cleaned
        if item is None:
            if "item" not in self.errors:
                self.add_error("item", _("请选择信用信息事项。"))
            return cleaned
        error = item_batch_format_error(item=item, format=format)
        if error:
            self.add_error("format", error)
        return cleaned
