"""信用审查 API (``/api/v1/vetting/``): the batch check of a candidate list, as in the workspace. Thin: the service
does the work; a refused file is a DomainError on ``file`` (400, answered by core.api)."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.roles import WORKSPACE_ROLES
from core.access import role_permission
from vetting.forms import validate_upload_size
from vetting.models import BatchCheck
from vetting.selectors import batch_checks_for
from vetting.services.batch import batch_check_run


class BatchCheckCreateSerializer(serializers.Serializer):
    file = serializers.FileField(label="候选名单（.xlsx 或 .csv）", validators=[validate_upload_size])
    title = serializers.CharField(label="审查事由", required=False, allow_blank=True, max_length=200, default="")


class BatchCheckSerializer(serializers.ModelSerializer):
    """The report: number, time, counts and per candidate the masked identifier and the hits."""

    class Meta:
        model = BatchCheck
        fields = ["id", "number", "title", "created_at", "candidate_count", "hit_count", "results"]


class BatchCheckCreateApi(APIView):
    """Check a candidate list (clerks and reviewers) and answer the report at once."""

    parser_classes = [MultiPartParser, FormParser]
    permission_classes = [role_permission(*WORKSPACE_ROLES)]

    @extend_schema(request=BatchCheckCreateSerializer, responses={201: BatchCheckSerializer})
    def post(self, request):
        params = BatchCheckCreateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        upload = params.validated_data["file"]
        check = batch_check_run(
            data=upload.read(),
            file_name=upload.name,
            user=request.user,
            title=params.validated_data["title"],
            request=request,
        )
        return Response(BatchCheckSerializer(check).data, status=status.HTTP_201_CREATED)


class BatchCheckDetailApi(generics.RetrieveAPIView):
    serializer_class = BatchCheckSerializer
    permission_classes = [role_permission(*WORKSPACE_ROLES)]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation, no user
            return BatchCheck.objects.none()
        return batch_checks_for(self.request.user)
