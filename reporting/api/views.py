"""Reporting REST API: batch imports (clerks) and the ledger (reviewers). Thin: the services do the work."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.roles import WORKSPACE_ROLES, Role
from core.access import role_permission
from credit.models import Item, Office
from reporting.api.serializers import ExportBatchSerializer, ImportCreateSerializer, ImportJobSerializer
from reporting.models import ExportBatch, ImportJob
from reporting.selectors import batches_for
from reporting.services.imports import import_job_create


class ImportCreateView(APIView):
    """Upload a filled template; small files are validated (and saved) at once, large ones in the background."""

    parser_classes = [MultiPartParser, FormParser]
    permission_classes = [role_permission(Role.CLERK)]

    @extend_schema(request=ImportCreateSerializer, responses={201: ImportJobSerializer})
    def post(self, request):
        params = ImportCreateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        item = get_object_or_404(Item, no=data["item"])
        office = Office.objects.filter(code=data["office"]).first()
        if office is None:
            raise ValidationError({"office": ["报送处室：没有该处室。"]})
        # A rejected file is a DomainError on "file" (400): core.api's exception handler answers it.
        job = import_job_create(
            user=request.user,
            item=item,
            office=office,
            data=data["file"].read(),
            original_name=data["file"].name,
            submit=data["submit"],
            mode=data["mode"],
            request=request,
        )
        return Response(ImportJobSerializer(job).data, status=status.HTTP_201_CREATED)


class ImportDetailView(generics.RetrieveAPIView):
    serializer_class = ImportJobSerializer
    permission_classes = [role_permission(*WORKSPACE_ROLES)]

    def get_queryset(self):
        return ImportJob.objects.restrict(self.request.user).select_related("item", "office")


class BatchListView(generics.ListAPIView):
    """报送台账 (reviewers)."""

    serializer_class = ExportBatchSerializer
    permission_classes = [role_permission(Role.REVIEWER)]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation, no user
            return ExportBatch.objects.none()
        return batches_for(self.request.user)


class BatchDetailView(generics.RetrieveAPIView):
    serializer_class = ExportBatchSerializer
    permission_classes = [role_permission(*WORKSPACE_ROLES)]

    def get_queryset(self):
        return batches_for(self.request.user)
