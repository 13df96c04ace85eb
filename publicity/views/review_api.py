"""The API's approve endpoint (``/api/v1/records/<pk>/approve/``, among credit's record endpoints: see
``publicity/review_urls.py``): approving a penalty publishes it, so it lives above credit, like the workspace's."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from credit.api.serializers import RecordMetaSerializer, RecordVersionField, record_serializer_for_item
from credit.guards import after_refusal
from credit.personal_data import records_shown
from credit.selectors import typed_record_for
from credit.services.records import RecordError
from publicity.forms import PUBLICATION_FIELDS
from publicity.services.approvals import record_approve_and_publish


class ApproveSerializer(serializers.Serializer):
    """Approval, and for penalty items (双公示行政处罚) the publication the reviewer confirms with it."""

    publish = serializers.BooleanField(label="同时公示", required=False, allow_null=True, default=None)
    publicity_end = serializers.DateField(label="公示截止日期", required=False, allow_null=True, default=None)
    decision_number = serializers.CharField(
        label="行政处罚决定书文号", required=False, allow_blank=True, max_length=100
    )
    offence_type = serializers.CharField(label="违法行为类型", required=False, allow_blank=True, max_length=200)
    offence_facts = serializers.CharField(label="违法事实", required=False, allow_blank=True, max_length=4000)
    penalty_basis = serializers.CharField(label="处罚依据", required=False, allow_blank=True, max_length=4000)
    penalty_category = serializers.CharField(label="处罚类别", required=False, allow_blank=True, max_length=50)
    credit_check_override = serializers.CharField(
        label="信用审查例外通过理由", required=False, allow_blank=True, max_length=2000, default=""
    )
    version = RecordVersionField()


class RecordApproveApi(APIView):
    """待审核 → 已通过 (reviewer); for penalty items also publishes them unless ``publish`` is false.

    Publication needs the national 双公示 columns Annex 1 lacks; when they are incomplete the record is still approved
    and the response's ``publication`` says what is missing (the reviewer completes it on the publication page).
    """

    serializer_class = ApproveSerializer

    @extend_schema(request=ApproveSerializer, responses={200: RecordMetaSerializer})
    def post(self, request, pk: int):
        record = typed_record_for(request.user, pk)
        body = ApproveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        options = body.validated_data
        publication = {key: options[key] for key in PUBLICATION_FIELDS if key in options}
        # One service for the API and the workspace: approval and publication in one transaction.
        # A refusal is a DomainError (400, or 409 for a wrong state) or PermissionDenied (403): core.api answers it.
        try:
            approval = record_approve_and_publish(
                record=record,
                user=request.user,
                publish=options.get("publish") is not False,
                publication=publication,
                override_reason=options.get("credit_check_override", ""),
                version=options.get("version"),
            )
        except RecordError as exc:
            after_refusal(exc, user=request.user, request=request)
            raise
        records_shown(request, [approval.record])
        data = dict(record_serializer_for_item(approval.record.item.no)(approval.record).data)
        if approval.publication_requested:
            if approval.publication is not None:
                end = approval.publication.publicity_end.isoformat()
                data["publication"] = {"published": True, "publicity_end": end}
            else:
                data["publication"] = {"published": False, "errors": approval.publication_errors}
        return Response(data)
