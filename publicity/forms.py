"""Forms of the column (visitors' objections and repairs) and of the publicity workspace. Validation only; the
writes are services."""

from __future__ import annotations

import copy

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from credit.models import SubjectKind
from credit.validators import validate_cn_id, validate_phone
from publicity.challenge import Check, challenge_check, challenge_issue
from publicity.models import LicenceDecision, NewsItem, Outcome, PolicyDocument, Publication, Severity
from publicity.models.publications import PENALTY_CATEGORIES
from publicity.validators import size_text, validate_evidence

LICENCE_FIELDS = [
    "xdr_mc",
    "xdr_lb",
    "xdr_shxym",
    "xdr_gszc",
    "xdr_zzjg",
    "xdr_swdj",
    "xdr_sydw",
    "xdr_shzz",
    "frdb",
    "fr_zjlx",
    "fr_zjhm",
    "xdr_zjlx",
    "xdr_zjhm",
    "xkws",
    "wsh",
    "xklb",
    "xkzs",
    "xkbh",
    "nr",
    "jdrq",
    "yxqz",
    "yxqzi",
    "xkjg",
    "xkjgdm",
    "lydw",
    "lydwdm",
    "bz",
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class LicenceForm(forms.ModelForm):
    """The licensing record (xk_* columns), with the national standard's consistency rules."""

    class Meta:
        model = LicenceDecision
        fields = LICENCE_FIELDS
        widgets = {"jdrq": DateInput(), "yxqz": DateInput(), "yxqzi": DateInput(), "nr": forms.Textarea({"rows": 3})}

    def clean(self):
        data = super().clean()
        errors = {}
        if data.get("xdr_lb") == "自然人":
            if not data.get("xdr_zjlx") or not data.get("xdr_zjhm"):
                errors["xdr_zjhm"] = _("自然人须填写证件类型和证件号码。")
            elif data.get("xdr_zjlx") == "身份证":
                try:
                    validate_cn_id(data["xdr_zjhm"])
                except forms.ValidationError as exc:
                    errors["xdr_zjhm"] = exc.messages
            for key in ("xdr_shxym", "xdr_gszc", "xdr_zzjg", "xdr_swdj", "xdr_sydw", "xdr_shzz"):
                if data.get(key):
                    errors[key] = _("自然人不填写机构代码。")
        elif data.get("xdr_lb") and not data.get("xdr_shxym"):
            errors["xdr_shxym"] = _("法人及非法人组织、个体工商户须填写统一社会信用代码。")
        if data.get("yxqz") and data.get("yxqzi") and data["yxqzi"] < data["yxqz"]:
            errors["yxqzi"] = _("有效期至不能早于有效期自。")
        jdrq = data.get("jdrq")
        if jdrq and jdrq > timezone.localdate():
            errors["jdrq"] = _("许可决定日期不能晚于今天（%(today)s）。") % {"today": timezone.localdate().isoformat()}
        elif jdrq and data.get("yxqzi") and jdrq > data["yxqzi"]:
            errors["jdrq"] = _("许可决定日期不能晚于有效期至（%(end)s）。") % {"end": data["yxqzi"].isoformat()}
        if data.get("fr_zjhm") and data.get("fr_zjlx") == "身份证":
            try:
                validate_cn_id(data["fr_zjhm"])
            except forms.ValidationError as exc:
                errors["fr_zjhm"] = exc.messages
        for key, message in errors.items():
            self.add_error(key, message)
        return data


class PublishForm(forms.Form):
    """A reviewer publishes an approved penalty: the national fields Annex 1 lacks, and the publicity end."""

    decision_number = forms.CharField(label=_("行政处罚决定书文号"), max_length=100)
    offence_type = forms.CharField(label=_("违法行为类型"), max_length=200)
    offence_facts = forms.CharField(label=_("违法事实"), max_length=4000, widget=forms.Textarea({"rows": 3}))
    penalty_basis = forms.CharField(label=_("处罚依据"), max_length=4000, widget=forms.Textarea({"rows": 2}))
    penalty_category = forms.ChoiceField(
        label=_("处罚类别"), choices=[("", "—")] + [(c, c) for c in PENALTY_CATEGORIES]
    )
    other_categories = forms.MultipleChoiceField(
        label=_("并处的其他处罚类别"),
        required=False,
        choices=[(c, c) for c in PENALTY_CATEGORIES],
        help_text=_("有多个处罚类别时，公示期按其中最长者计算。"),
    )
    severity = forms.ChoiceField(label=_("违法行为严重程度"), required=False, choices=[("", "—"), *Severity.choices])
    sector = forms.CharField(
        label=_("行业领域"), required=False, max_length=50, help_text=_("如 特种设备、安全生产、消防（最短公示期一年）")
    )
    publicity_end = forms.DateField(
        label=_("公示截止日期"),
        widget=DateInput(),
        help_text=_("默认取公示期限规则允许的最短期限；可在规则的最短与最长期限之间选择，并说明理由。"),
    )
    period_reason = forms.CharField(
        label=_("公示期限理由"),
        required=False,
        max_length=2000,
        widget=forms.Textarea({"rows": 2}),
        help_text=_("公示截止日期不取默认（最短）时必填。"),
    )


# What a reviewer may give when publishing a penalty (``publication_publish``'s keyword arguments besides the record):
# the national 双公示 columns Annex 1 lacks, and the publicity end. One list for the publication page, the approve
# form and the API.
PUBLICATION_FIELDS = tuple(PublishForm.base_fields)


class ApproveForm(forms.Form):
    """审核通过, and for a penalty (items 2 and 8) 同时公示 with the national columns and the publicity end.

    The publication fields are those of the publication page (``PublishForm``), optional here: they are pre-filled
    from the record (``penalty_defaults``) and a blank one keeps that default, so an untouched form publishes whatever
    the record already answers. ``publish`` is a checkbox: absent from a browser POST means unticked. A POST that does
    not come from this form (the queue's row button, an older page) carries no ``publication_form`` marker and
    publishes by default, as the API does.
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


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=2000, widget=forms.Textarea({"rows": 2}))


class BlackListForm(forms.Form):
    subject_kind = forms.ChoiceField(
        label=_("主体类别"),
        required=False,
        choices=[("", _("按代码自动识别"))] + list(SubjectKind.choices),
    )
    subject_code = forms.CharField(label=_("主体代码（统一社会信用代码或证件号码）"), max_length=30)
    records = forms.CharField(label=_("所依据的失信记录编号（以逗号分隔）"), max_length=500)
    reason = forms.CharField(label=_("列入事由"), widget=forms.Textarea({"rows": 2}))
    legal_basis = forms.CharField(label=_("列入依据"), widget=forms.Textarea({"rows": 2}))
    document_number = forms.CharField(label=_("认定决定文书号"), max_length=100)
    decision_date = forms.DateField(label=_("认定日期"), widget=DateInput())
    notified_on = forms.DateField(label=_("事先告知日期"), widget=DateInput())
    listed_on = forms.DateField(label=_("列入日期"), widget=DateInput())
    end_date = forms.DateField(label=_("列入截止日期"), widget=DateInput())
    removal_conditions = forms.CharField(label=_("移出条件"), widget=forms.Textarea({"rows": 2}))

    def clean_records(self) -> list[int]:
        try:
            return [int(x) for x in self.cleaned_data["records"].replace("，", ",").split(",") if x.strip()]
        except ValueError:
            raise forms.ValidationError(_("请填写记录编号（数字），以逗号分隔。")) from None


# When an article may be shown from. Outside, a date is a typo; before year 2 it is not even storable (0001-01-01 in
# Beijing time is in year 0 in UTC: OverflowError on save, a 500).
ARTICLE_FIRST_YEAR, ARTICLE_LAST_YEAR = 2000, 2099


class _ArticleForm(forms.ModelForm):
    def clean_published_at(self):
        value = self.cleaned_data.get("published_at")
        if value is not None and not ARTICLE_FIRST_YEAR <= value.year <= ARTICLE_LAST_YEAR:
            raise forms.ValidationError(
                _("发布时间应在 %(first)d 年至 %(last)d 年之间。"),
                params={"first": ARTICLE_FIRST_YEAR, "last": ARTICLE_LAST_YEAR},
                code="out_of_range",
            )
        return value


class PolicyDocumentForm(_ArticleForm):
    class Meta:
        model = PolicyDocument
        fields = ["title", "document_number", "source", "body", "is_published", "published_at"]
        widgets = {"body": forms.Textarea({"rows": 12})}


class NewsItemForm(_ArticleForm):
    class Meta:
        model = NewsItem
        fields = ["title", "source", "body", "is_published", "published_at"]
        widgets = {"body": forms.Textarea({"rows": 12})}


def named_messages(name, *, required=None) -> dict:
    """Error messages of a visitor's form field that name it ("申请人：请填写…", "申请内容与理由：不能超过 4000 个字（现有
    4002 个）。"), like the field's own checks do: Django's defaults ("该字段是必填项。", "确保该变量包含不超过 100 字符")
    name nothing, and a visitor reading them in the error summary cannot tell which box they are about."""
    return {
        "required": required or format_lazy(_("{name}：请填写。"), name=name),
        # Django fills in %(limit_value)d and %(show_value)d (the length typed) when it raises the message.
        "max_length": format_lazy(_("{name}：不能超过 %(limit_value)d 个字（现有 %(show_value)d 个）。"), name=name),
        "empty": format_lazy(_("{name}：上传的文件是空的，请重新选择。"), name=name),
        "invalid": format_lazy(_("{name}：未收到文件，请重新选择后提交。"), name=name),
        "missing": format_lazy(_("{name}：未收到文件，请重新选择后提交。"), name=name),
        "contradiction": format_lazy(_("{name}：请选择上传新文件，或勾选清除，不要同时进行。"), name=name),
    }


class PublicRequestForm(forms.Form):
    """What a visitor fills in for an objection or a repair application."""

    applicant_name = forms.CharField(
        label=_("申请人（单位或个人）"),
        max_length=100,
        error_messages=named_messages(_("申请人"), required=_("申请人：请填写单位名称或个人姓名。")),
    )
    applicant_contact = forms.CharField(
        label=_("联系电话或电子邮箱（不公开）"),
        max_length=100,
        error_messages=named_messages(
            _("联系电话或电子邮箱"), required=_("联系电话或电子邮箱：请填写，以便告知办理结果。")
        ),
    )
    content = forms.CharField(
        label=_("申请内容与理由"),
        max_length=4000,
        widget=forms.Textarea({"rows": 5}),
        error_messages=named_messages(_("申请内容与理由"), required=_("申请内容与理由：请填写申请的内容与理由。")),
    )
    evidence = forms.FileField(
        label=_("证明材料（PDF、JPG、PNG）"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
        error_messages=named_messages(_("证明材料")),
    )

    def __init__(self, *args, challenge: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # The label states the limit in force, not the default one.
        self.fields["evidence"].label = _("证明材料（PDF、JPG、PNG，不超过%(size)s）") % {
            "size": size_text(settings.PUBLICITY_EVIDENCE_MAX_BYTES)
        }
        # Past the column's filing limit (publicity.ratelimit): a question to answer, new on every page shown. Its
        # token goes in a hidden input the template writes (``challenge_token``), never the previous page's.
        self.challenge = challenge_issue() if challenge else None
        self.challenge_solved = False
        if self.challenge:
            self.fields["challenge_answer"] = forms.CharField(
                label=_("人机验证：%(question)s") % {"question": self.challenge.question},
                help_text=_("请填写计算结果（数字），例如 12。看不清或想换一题，请刷新本页；每道题只能回答一次。"),
                max_length=10,
                error_messages=named_messages(_("人机验证"), required=_("请回答人机验证问题。")),
                widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            )

    def clean_applicant_name(self):
        # At least one letter or character of a name: "?" or "-" names nobody the bureau can answer.
        name = " ".join(self.cleaned_data["applicant_name"].split())
        if not any(c.isalpha() for c in name):
            raise forms.ValidationError(_("申请人：请填写单位名称或个人姓名。"), code="no_name")
        return name

    def clean_applicant_contact(self):
        """A phone number (mobile, or landline with its area code) or an e-mail address: the bureau answers there, and
        the cap on open cases per contact counts by it (free text such as "abc" reached nobody and escaped the cap)."""
        contact = self.cleaned_data["applicant_contact"].strip()
        try:
            if "@" in contact:
                validate_email(contact)
            else:  # as typed (0791-86000000-123), or with its separators dropped (+86 138-0791-0000, (0791)86000000)
                try:
                    validate_phone(contact)
                except ValidationError:
                    validate_phone(contact.translate(str.maketrans("", "", "()（）-－—.．")))
        except ValidationError:
            raise forms.ValidationError(
                _(
                    "联系电话或电子邮箱：请填写手机号码（如 13800138000）、带区号的固定电话（如 0791-88888888）"
                    "或电子邮箱，以便告知办理结果。"
                ),
                code="contact_invalid",
            ) from None
        return contact

    def clean_challenge_answer(self):
        answer = self.cleaned_data["challenge_answer"]
        result = challenge_check(self.data.get("challenge_token", ""), answer)
        # The answered question is spent: the page shown again asks a new one, with an empty answer field.
        self.data = self.data.copy()
        self.data["challenge_answer"] = ""
        if result is Check.STALE:
            raise forms.ValidationError(_("人机验证问题已过期或已回答过，请回答本页的新问题。"), code="stale")
        if result is Check.WRONG:
            raise forms.ValidationError(_("人机验证答案不正确，请回答本页的新问题。"), code="wrong")
        self.challenge_solved = True
        return answer

    def too_large(self) -> None:
        """Mark the whole submission as over ``PUBLICITY_REQUEST_MAX_BYTES`` (the evidence is what makes it so)."""
        self.full_clean()
        self.add_error(
            "evidence",
            _("提交内容过大：整个申请（含证明材料）不能超过%(total)s，证明材料不能超过%(size)s。请压缩后重新提交。")
            % {
                "total": size_text(settings.PUBLICITY_REQUEST_MAX_BYTES),
                "size": size_text(settings.PUBLICITY_EVIDENCE_MAX_BYTES),
            },
        )

    def clean_evidence(self):
        upload = self.cleaned_data.get("evidence")
        if upload:
            validate_evidence(upload)
        return upload


class RepairRequestForm(PublicRequestForm):
    """A repair application: the objection's fields plus the signed 信用承诺书 (credit commitment), required."""

    commitment = forms.FileField(
        label=_("信用承诺书（PDF、JPG、PNG，必须上传）"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
        error_messages=named_messages(
            _("信用承诺书"), required=_("信用承诺书：请上传签署的信用承诺书（PDF、JPG、PNG）。")
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The commitment is held to the evidence's size limit (and counts towards the daily evidence quota).
        self.fields["commitment"].label = _("信用承诺书（PDF、JPG、PNG，必须上传，不超过%(size)s）") % {
            "size": size_text(settings.PUBLICITY_EVIDENCE_MAX_BYTES)
        }

    def clean_commitment(self):
        upload = self.cleaned_data.get("commitment")
        if upload:
            validate_evidence(upload, field=_("信用承诺书"))
        return upload


class ExternalRepairForm(forms.Form):
    """A reviewer enters a repair decision made on 信用中国 (or 信用江西)."""

    decision_number = forms.CharField(label=_("行政处罚决定书文号"), max_length=100)
    subject = forms.CharField(label=_("行政相对人名称或代码（文书号重复时填写）"), max_length=200, required=False)
    repair_date = forms.DateField(label=_("修复日期"), widget=DateInput())
    source = forms.CharField(label=_("修复平台"), max_length=50, initial="信用中国")
    reference = forms.CharField(label=_("修复决定编号"), max_length=100, required=False)


class ExternalRepairImportForm(forms.Form):
    file = forms.FileField(
        label=_(
            "修复结果文件（.xlsx 或 .csv；表头：行政处罚决定书文号、修复日期，可选 行政相对人名称或代码、修复平台、修复决定编号）"
        )
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("文件不能超过5MB。"))
        return upload


class TrackForm(forms.Form):
    code = forms.CharField(label=_("查询码"), max_length=20)


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("办理结果"), choices=Outcome.choices, widget=forms.RadioSelect)
    reply = forms.CharField(label=_("答复意见（向申请人公开）"), max_length=4000, widget=forms.Textarea({"rows": 3}))
    corrected_content = forms.CharField(
        label=_("更正后的公示内容（结果为“予以更正”时填写）"),
        required=False,
        max_length=4000,
        widget=forms.Textarea({"rows": 3}),
    )

    # Any other published field of a penalty or red-list entry a granted objection corrects (``fix_<field>``); blank
    # ones stay as published.
    FIX_PREFIX = "fix_"

    def __init__(self, *args, correctable: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not correctable:
            return
        for name in Publication.CORRECTABLE_FIELDS:
            if name == "content":
                continue
            model_field = Publication._meta.get_field(name)
            label = _("更正后的%(f)s（需更正时填写）") % {"f": model_field.verbose_name}
            if name == "decision_date":
                field = forms.DateField(label=label, required=False, widget=DateInput())
            elif name == "penalty_category":
                field = forms.ChoiceField(
                    label=label, required=False, choices=[("", "—")] + [(c, c) for c in PENALTY_CATEGORIES]
                )
            else:
                field = forms.CharField(label=label, required=False, max_length=model_field.max_length or 4000)
            self.fields[self.FIX_PREFIX + name] = field

    def decision(self) -> dict:
        """``request_decide``'s keyword arguments: outcome, reply, corrected content and the corrected fields."""
        data = self.cleaned_data
        corrections = {
            key.removeprefix(self.FIX_PREFIX): value
            for key, value in data.items()
            if key.startswith(self.FIX_PREFIX) and value not in (None, "")
        }
        return {
            "outcome": data["outcome"],
            "reply": data["reply"],
            "corrected_content": data.get("corrected_content", ""),
            "corrections": corrections,
        }
