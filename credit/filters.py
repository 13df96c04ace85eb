"""Filters of the workspace's record lists (django-filter): item, status, office, due date, text, timeliness."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from core.forms import PlainSelect
from credit.catalog import ItemSpec
from credit.models import Item, Office, Record, RecordStatus
from credit.selectors import records_due_soon, records_overdue

# Record ids are BigAutoField: never more than 19 ASCII digits.
_MAX_ID_DIGITS = 19
# Longer than any subject name or identifier; a longer search is pasted text (SQLite refuses LIKE patterns over
# 50,000 bytes: a 500, not "nothing found").
MAX_SEARCH_LENGTH = 100


def _record_id(value: str) -> int | None:
    """``value`` as a record number, or None. ``str.isdigit`` also accepts ``²`` and other digits ``int`` refuses."""
    if value.isascii() and value.isdecimal() and len(value) <= _MAX_ID_DIGITS:
        return int(value)
    return None


class RecordFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("搜索"),
        method="filter_q",
        max_length=MAX_SEARCH_LENGTH,
        help_text=_(
            "可按主体名称、完整的证件号码或统一社会信用代码、文书号（处罚决定书文号、表彰文号）或记录编号搜索。"
        ),
    )
    item = django_filters.ModelChoiceFilter(
        label=_("事项"),
        queryset=Item.objects.order_by("no"),
        to_field_name="no",
        empty_label=_("全部事项"),
        widget=PlainSelect,
    )
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=RecordStatus.choices, empty_label=_("全部状态"), widget=PlainSelect
    )
    office = django_filters.ModelChoiceFilter(
        label=_("报送处室"),
        queryset=Office.objects.order_by("id"),
        to_field_name="code",
        empty_label=_("全部处室"),
        widget=PlainSelect,
    )
    due = django_filters.ChoiceFilter(
        label=_("期限"),
        choices=[("soon", _("3个工作日内到期")), ("overdue", _("已逾期"))],
        method="filter_due",
        empty_label=_("不限"),
        widget=PlainSelect,
    )
    due_after = django_filters.DateFilter(label=_("截止日期自"), field_name="due_date", lookup_expr="gte")
    due_before = django_filters.DateFilter(label=_("截止日期至"), field_name="due_date", lookup_expr="lte")
    ordering = django_filters.OrderingFilter(
        label=_("排序"),
        widget=PlainSelect,
        fields=(
            ("due_date", "due"),
            ("business_date", "business"),
            ("updated_at", "updated"),
            ("submitted_at", "submitted"),
            ("status", "status"),
            ("item__no", "item"),
        ),
        # Keyed by the model fields, as django-filter looks them up (keyed by the parameters, every choice fell back to
        # its English parameter name: "Due", "Business (descending)"…).
        field_labels={
            "due_date": _("截止日期"),
            "business_date": _("业务发生日期"),
            "updated_at": _("最后修改时间"),
            "submitted_at": _("提交时间"),
            "status": _("状态"),
            "item__no": _("事项"),
        },
    )

    class Meta:
        model = Record
        fields: list[str] = []

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        for f in ("due_after", "due_before"):
            self.filters[f].field.widget.input_type = "date"
        if user is not None and user.role == Role.CLERK:
            self.filters["office"].queryset = user.offices.order_by("id")

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        # Identifiers are stored encrypted (credit.crypto): they match whole, not by substring.
        q = Q(subject__name__icontains=value) | Q(subject__identifier=value.upper())
        # Decision numbers (文书号) live on the typed records: each item's field per the catalogue.
        for item_no, model in Record.item_models.items():
            field = ItemSpec.get(item_no).document_number_field
            if field:
                q |= Q(**{f"{model._meta.model_name}__{field}__icontains": value})
        record_id = _record_id(value)
        if record_id is not None:
            q |= Q(pk=record_id)
        return queryset.filter(q)

    def filter_due(self, queryset, name, value):
        if value == "soon":
            return records_due_soon(queryset)
        if value == "overdue":
            return records_overdue(queryset)
        return queryset
