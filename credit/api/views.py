"""The credit REST API: items, office-scoped records, transitions and due dates. Thin: services do the work."""

from collections.abc import Mapping

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.roles import WORKSPACE_ROLES
from core.access import role_permission
from core.errors import NON_FIELD
from credit.api.serializers import (
    ChangeNoteSerializer,
    DueDateQuerySerializer,
    DueDateSerializer,
    ItemSerializer,
    RecordChangeSerializer,
    RecordMetaSerializer,
    TransitionReasonSerializer,
    record_serializer_for_item,
)
from credit.models import Item, Record, RecordStatus
from credit.personal_data import change_shown, records_shown
from credit.registry import model_for_item
from credit.selectors import change_for, typed_record_for
from credit.services import records as services
from credit.services.calendar import CalendarRangeError, due_date_for

_WRITABLE_EXTRA = {"business_date", "office", "version", "confirm_subject_name"}
# Clerks and reviewers; the admin roles (三员) are refused (403), anonymous requests get 401/403.
WORKSPACE_API = [role_permission(*WORKSPACE_ROLES)]


def _object_body(request) -> Mapping:
    """The request body as field key → value; a JSON array, number, string or null is refused with 400."""
    data = request.data
    if not isinstance(data, Mapping):
        raise ValidationError({NON_FIELD: [_('请求体必须是JSON对象（键为字段名），例如 {"name": "张三"}。')]})
    return data


def _check_keys(item: Item, data: Mapping) -> None:
    """Unknown keys, and data items whose value is not text: 400 naming each field. Every data item is text (dates
    as ``YYYY-MM-DD``; a number is taken as its digits, as DRF's ``CharField`` takes it); an array, object or
    true/false was stored as Python's rendering of it (``['洪教罚〔2026〕1号']``, ``False``) and published so."""
    model = model_for_item(item.no)
    keys = set(model.record_keys())
    unknown = sorted(set(data) - keys - _WRITABLE_EXTRA)
    if unknown:
        raise ValidationError({key: [f"{key}：“{item.name}”没有该字段。"] for key in unknown})
    not_text = {
        key: [_("%(field)s：应为文本（字符串），不能是数组、对象或 true/false。") % {"field": _field_name(model, key)}]
        for key, value in data.items()
        if key in keys and isinstance(value, (bool, list, dict))
    }
    if not_text:
        raise ValidationError(not_text)


def _field_name(model, key: str) -> str:
    return str(model._meta.get_field(key).verbose_name)


class ItemListView(generics.ListAPIView):
    """The ten credit-information items of Annex 1 with every attribute and their data items (fields)."""

    permission_classes = WORKSPACE_API

    serializer_class = ItemSerializer
    pagination_class = None
    queryset = Item.objects.prefetch_related("offices", "fields")


class ItemDetailView(generics.RetrieveAPIView):
    permission_classes = WORKSPACE_API
    serializer_class = ItemSerializer
    queryset = Item.objects.prefetch_related("offices", "fields")
    lookup_field = "no"


class ItemRecordListView(generics.ListCreateAPIView):
    """Records of one item in the user's scope; POST creates a draft (clerks of an office owning the item)."""

    permission_classes = WORKSPACE_API

    def get_item(self) -> Item:
        if not hasattr(self, "_item"):
            self._item = get_object_or_404(Item, no=self.kwargs["no"])
        return self._item

    def get_serializer_class(self):
        if getattr(self, "swagger_fake_view", False):
            return RecordMetaSerializer
        return record_serializer_for_item(self.get_item().no)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Record.objects.none()
        model = model_for_item(self.get_item().no)
        return (
            model.objects.restrict(self.request.user)
            .select_related("item", "office", "created_by", "updated_by", "decided_by")
            .order_by("-created_at", "-id")
        )

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        page = getattr(getattr(self, "paginator", None), "page", None)
        records_shown(request, page.object_list if page is not None else [])
        return response

    def create(self, request, *args, **kwargs):
        item = self.get_item()
        data = _object_body(request)
        _check_keys(item, data)
        record = services.record_create(item=item, user=request.user, data=data)
        records_shown(request, [record])
        return Response(self.get_serializer(record).data, status=status.HTTP_201_CREATED)


class RecordDetailView(generics.RetrieveUpdateAPIView):
    """One record in the user's scope (404 outside it); PATCH changes a draft or returned record."""

    http_method_names = ["get", "patch", "head", "options"]
    permission_classes = WORKSPACE_API

    def get_object(self):
        return typed_record_for(self.request.user, self.kwargs["pk"])

    def get_serializer_class(self):
        if getattr(self, "swagger_fake_view", False):
            return RecordMetaSerializer
        return record_serializer_for_item(self.get_object().item.no)

    def get_queryset(self):
        return Record.objects.none()

    def retrieve(self, request, *args, **kwargs):
        record = self.get_object()
        records_shown(request, [record])
        return Response(self.get_serializer(record).data)

    def partial_update(self, request, *args, **kwargs):
        record = typed_record_for(request.user, kwargs["pk"])
        body = _object_body(request)
        data = {k: v for k, v in body.items() if k != "note"}
        _check_keys(record.item, data)
        if record.status == RecordStatus.APPROVED:
            # An approved record stays in force: the PATCH becomes a change request reviewed like a submission.
            note = ChangeNoteSerializer(data={"note": body.get("note") or ""})
            if not note.is_valid():
                raise ValidationError({"note": [f"{_('变更说明')}：{m}" for m in note.errors["note"]]})
            change = services.record_change_propose(
                record=record, user=request.user, data=data, note=note.validated_data["note"]
            )
            change_shown(request, change)
            return Response(RecordChangeSerializer(change).data, status=status.HTTP_202_ACCEPTED)
        record = services.record_update(record=record, user=request.user, data=body)
        records_shown(request, [record])
        return Response(self.get_serializer(record).data)


class _TransitionView(APIView):
    permission_classes = WORKSPACE_API
    serializer_class = TransitionReasonSerializer

    def run(self, record, user, reason, version):  # pragma: no cover - abstract
        raise NotImplementedError

    @extend_schema(request=TransitionReasonSerializer, responses={200: RecordMetaSerializer})
    def post(self, request, pk: int):
        record = typed_record_for(request.user, pk)
        body = TransitionReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        record = self.run(
            record=record,
            user=request.user,
            reason=body.validated_data.get("reason", ""),
            version=body.validated_data.get("version"),
        )
        records_shown(request, [record])
        return Response(record_serializer_for_item(record.item.no)(record).data)


class RecordSubmitView(_TransitionView):
    """草稿/已退回 → 待审核 (clerk of the record's office)."""

    def run(self, record, user, reason, version):
        return services.record_submit(record=record, user=user, version=version)


class RecordWithdrawView(_TransitionView):
    """待审核 → 草稿 (clerk of the record's office), before the General Office decides."""

    def run(self, record, user, reason, version):
        return services.record_withdraw(record=record, user=user, version=version)


class RecordReturnView(_TransitionView):
    """待审核 → 已退回 with a reason (reviewer)."""

    def run(self, record, user, reason, version):
        return services.record_return(record=record, user=user, reason=reason, version=version)


class RecordRevokeView(_TransitionView):
    """已通过 → 已撤销 with a reason (reviewer)."""

    def run(self, record, user, reason, version):
        return services.record_revoke(record=record, user=user, reason=reason, version=version)


class _ChangeDecisionView(APIView):
    permission_classes = WORKSPACE_API
    serializer_class = TransitionReasonSerializer

    @extend_schema(request=TransitionReasonSerializer, responses={200: RecordChangeSerializer})
    def post(self, request, pk: int):
        change = change_for(request.user, pk)
        body = TransitionReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        self.run(change=change, user=request.user, reason=body.validated_data.get("reason", ""))
        change.refresh_from_db()
        change_shown(request, change)
        return Response(RecordChangeSerializer(change).data)


class ChangeApproveView(_ChangeDecisionView):
    """A pending change to an approved record → applied (reviewer)."""

    def run(self, change, user, reason):
        return services.record_change_approve(change=change, user=user)


class ChangeReturnView(_ChangeDecisionView):
    """A pending change → returned with a reason; the approved record stays as it was (reviewer)."""

    def run(self, change, user, reason):
        return services.record_change_return(change=change, user=user, reason=reason)


class DueDateView(APIView):
    """The due date ``days`` working days after ``start`` on the official calendar; provisional for unknown years."""

    permission_classes = WORKSPACE_API

    @extend_schema(
        parameters=[
            OpenApiParameter("start", str, description="业务发生日期 YYYY-MM-DD", required=True),
            OpenApiParameter("days", int, description="工作日数", required=True),
        ],
        responses={200: DueDateSerializer},
    )
    def get(self, request):
        query = DueDateQuerySerializer(data=request.query_params)
        if not query.is_valid():
            raise ValidationError(
                {key: [f"{query.fields[key].label}：{m}" for m in msgs] for key, msgs in query.errors.items()}
            )
        try:
            result = due_date_for(query.validated_data["start"], query.validated_data["days"])
        except CalendarRangeError as exc:
            raise ValidationError({"start": [f"{query.fields['start'].label}：{m}" for m in exc.messages]}) from exc
        return Response(DueDateSerializer({"due": result.due, "provisional": result.provisional}).data)
