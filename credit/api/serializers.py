"""Output serializers of the credit API. Input goes to the services, which validate through the item forms."""

import datetime
from functools import cache

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from credit.models import Item, ItemField, Record, RecordChange
from credit.models.calendar import CALENDAR_DATE_MAX, CALENDAR_DATE_MIN
from credit.registry import model_for_item


class ItemFieldSerializer(serializers.ModelSerializer):
    class Meta:
        model = ItemField
        fields = ["key", "name", "type", "required", "values", "rule"]


class ItemSerializer(serializers.ModelSerializer):
    offices = serializers.SerializerMethodField()
    deadline = serializers.SerializerMethodField()
    fields = ItemFieldSerializer(many=True, read_only=True)

    class Meta:
        model = Item
        fields = [
            "no",
            "name",
            "name_en",
            "subject_type",
            "info_category",
            "sharing_scope",
            "validity",
            "validity_years",
            "offices_text",
            "any_office",
            "offices",
            "deadline_text",
            "deadline",
            "publicity",
            "fields",
        ]

    def get_offices(self, item: Item) -> list[dict]:
        return [{"code": o.code, "name": o.name} for o in item.offices.all()]

    def get_deadline(self, item: Item) -> dict:
        return {"kind": item.deadline_kind, "days": item.deadline_days, "from": item.deadline_from}


# No ``subject``: the internal subject id would tell a clerk whether a person or organisation was already known to the
# system (a low id, shared with other offices' records) or new; the record's own name and identifier fields say who
# the record is about.
_META_FIELDS = [
    "id",
    "item",
    "office",
    "status",
    "status_display",
    "business_date",
    "due_date",
    "due_date_provisional",
    "validity_end",
    "created_by",
    "created_at",
    "updated_by",
    "updated_at",
    "submitted_at",
    "decided_at",
    "decided_by",
    "decision_reason",
    "version",
]


class RecordMetaSerializer(serializers.ModelSerializer):
    """The part of a record body every item shares."""

    item = serializers.IntegerField(source="item.no", read_only=True)
    office = serializers.CharField(source="office.code", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    created_by = serializers.CharField(source="created_by.username", read_only=True)
    updated_by = serializers.CharField(source="updated_by.username", read_only=True)
    decided_by = serializers.CharField(source="decided_by.username", read_only=True, default=None, allow_null=True)

    class Meta:
        model = Record
        fields = _META_FIELDS
        read_only_fields = _META_FIELDS


@cache
def record_serializer_for_item(no: int) -> type[serializers.ModelSerializer]:
    """The record body of item ``no``: the shared part plus the item's field values by key."""
    model = model_for_item(no)

    fields = [*_META_FIELDS, *model.record_keys(), "confirm_subject_name"]
    meta = type("Meta", (), {"model": model, "fields": fields, "read_only_fields": _META_FIELDS})
    # Written only: a new record naming a known subject (ID number or credit code) differently is refused (400, on
    # this key) unless it is true; the subject keeps its name and the record the one entered.
    confirm = serializers.BooleanField(
        write_only=True,
        required=False,
        help_text="true：确认主体名称与系统中该证件号码或代码已登记的名称不同（记录保留所填名称，不修改主体名称）。",
    )
    return type(f"Item{no}RecordSerializer", (RecordMetaSerializer,), {"Meta": meta, "confirm_subject_name": confirm})


# The dates the due-date endpoint answers for: the calendar's own range (from the founding-era records the validators
# accept to well past the calendar's known years), one source for both.
DUE_DATE_START_MIN = CALENDAR_DATE_MIN
DUE_DATE_START_MAX = CALENDAR_DATE_MAX
DUE_DATE_DAYS_MAX = 366


class DueDateQuerySerializer(serializers.Serializer):
    start = serializers.DateField(label="业务发生日期", input_formats=["%Y-%m-%d"])
    days = serializers.IntegerField(
        label="工作日数",
        min_value=0,
        max_value=DUE_DATE_DAYS_MAX,
        error_messages={
            "invalid": _("应为整数。"),
            "max_string_length": _("应为整数。"),
            "min_value": _("不能小于 {min_value}。"),
            "max_value": _("不能大于 {max_value}。"),
        },
    )

    def validate_start(self, value: datetime.date) -> datetime.date:
        if not DUE_DATE_START_MIN <= value <= DUE_DATE_START_MAX:
            raise serializers.ValidationError(
                _("应在 %(min)s 至 %(max)s 之间。")
                % {"min": DUE_DATE_START_MIN.isoformat(), "max": DUE_DATE_START_MAX.isoformat()}
            )
        return value


class DueDateSerializer(serializers.Serializer):
    due = serializers.DateField()
    provisional = serializers.BooleanField()


class ChangeNoteSerializer(serializers.Serializer):
    """The ``note`` of a PATCH on an approved record (the change request's 变更说明)."""

    note = serializers.CharField(label="变更说明", required=False, allow_blank=True, max_length=2000)


class RecordVersionField(serializers.IntegerField):
    """The record version the decision was taken on (the record's ``version`` as read): optional; when given and the
    record has changed since, the action is refused with 409 and nothing is done."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "所依据的记录版本")
        kwargs.setdefault("help_text", "读取记录时的 version；记录此后被修改则不执行并返回 409")
        super().__init__(required=False, allow_null=True, default=None, min_value=1, **kwargs)


class TransitionReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(label="理由", required=False, allow_blank=True, max_length=2000)
    version = RecordVersionField()


class RecordChangeSerializer(serializers.ModelSerializer):
    """A change request on an approved record: the proposed values by field key and its review status."""

    record = serializers.IntegerField(source="record_id", read_only=True)
    created_by = serializers.CharField(source="created_by.username", read_only=True)
    decided_by = serializers.CharField(source="decided_by.username", read_only=True, default=None, allow_null=True)

    class Meta:
        model = RecordChange
        fields = [
            "id",
            "record",
            "values",
            "base_version",
            "status",
            "note",
            "created_by",
            "created_at",
            "decided_by",
            "decided_at",
            "decision_reason",
        ]
        read_only_fields = fields
