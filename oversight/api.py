"""REST API of the oversight figures: /api/v1/oversight/timeliness/ and /api/v1/oversight/indicators/.

Office-scoped like the pages: a clerk gets their offices only, a reviewer every office; an office outside scope
named in ``?office=`` answers 404."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.roles import Role
from core.access import role_permission
from oversight import selectors
from oversight.models import IndicatorRole
from oversight.periods import parse_period, parse_year

# Clerks and reviewers; the admin roles (三员) are refused (403) by the permission class, before the view runs.
WORKSPACE_API = [role_permission(Role.CLERK, Role.REVIEWER)]


class FiguresSerializer(serializers.Serializer):
    due = serializers.IntegerField()
    on_time = serializers.IntegerField()
    late = serializers.IntegerField()
    overdue = serializers.IntegerField()
    pending = serializers.IntegerField()
    submitted = serializers.IntegerField()
    provisional = serializers.IntegerField(help_text="records whose due date is provisional (暂定)")
    on_time_rate = serializers.FloatField(allow_null=True)
    submission_rate = serializers.FloatField(allow_null=True)


class SemiannualSerializer(serializers.Serializer):
    expected = serializers.IntegerField()
    received = serializers.IntegerField()
    received_on_time = serializers.IntegerField()
    missing = serializers.IntegerField()


class PublicationSerializer(serializers.Serializer):
    published = serializers.IntegerField()
    published_on_time = serializers.IntegerField()
    published_late = serializers.IntegerField()
    late_rate = serializers.FloatField(allow_null=True, help_text="迟报率: published late / published")
    delivered = serializers.IntegerField()
    delivered_on_time = serializers.IntegerField()
    delivered_late = serializers.IntegerField()
    delivery_late_rate = serializers.FloatField(allow_null=True)


class OfficeTimelinessSerializer(serializers.Serializer):
    office = serializers.CharField(source="office.code")
    office_name = serializers.CharField(source="office.name")
    rank = serializers.IntegerField(allow_null=True)
    figures = serializers.SerializerMethodField()
    semiannual = SemiannualSerializer()
    publication = serializers.SerializerMethodField(help_text="双公示: public and delivered by the 7th working day")
    tight_deadline_items = serializers.SerializerMethodField(
        help_text="双公示 items whose submission deadline leaves no review time before the publication deadline"
    )

    @extend_schema_field(PublicationSerializer)
    def get_publication(self, obj) -> dict:
        return PublicationSerializer(obj.publication.as_dict()).data

    def get_tight_deadline_items(self, obj) -> list[int]:
        return [item.no for item in obj.tight_deadlines]

    @extend_schema_field(FiguresSerializer)
    def get_figures(self, obj) -> dict:
        return FiguresSerializer(obj.figures.as_dict()).data


class SemiannualReportSerializer(serializers.Serializer):
    item = serializers.IntegerField(source="item.no")
    office = serializers.CharField(source="office.code")
    period_start = serializers.DateField()
    due_date = serializers.DateField()
    received = serializers.BooleanField()
    on_time = serializers.BooleanField()
    pending = serializers.BooleanField(help_text="未报送且截止日期未到（未到期），不计入应报")
    records = serializers.IntegerField()


class TimelinessResponseSerializer(serializers.Serializer):
    period = serializers.CharField()
    period_label = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    as_of = serializers.DateField()
    totals = FiguresSerializer()
    offices = OfficeTimelinessSerializer(many=True)
    semiannual_reports = SemiannualReportSerializer(many=True)


class TimelinessApi(APIView):
    """Timeliness and completeness per office for a period (``2026-03``, ``2026Q1``, ``2026H1``, ``2026``).

    A malformed period is a ``PeriodError`` (400 on ``period``), answered by core.api's exception handler."""

    permission_classes = WORKSPACE_API

    @extend_schema(
        parameters=[
            OpenApiParameter("period", str, required=True, description="2026-03 | 2026Q1 | 2026H1 | 2026"),
            OpenApiParameter("office", str, required=False, description="office code (limits to one office)"),
        ],
        responses={200: TimelinessResponseSerializer},
    )
    def get(self, request):
        period = parse_period(request.query_params.get("period") or str(timezone.localdate().year))
        offices = selectors.offices_for(request.user)
        if request.query_params.get("office"):
            office = get_object_or_404(offices, code=request.query_params["office"])
            offices = offices.filter(pk=office.pk)
        today = timezone.localdate()
        rows, total = selectors.timeliness_by_office(period=period, offices=offices, today=today)
        semiannual = selectors.semiannual_reports(period=period, offices=offices, today=today)
        return Response(
            {
                "period": period.key,
                "period_label": period.label,
                "start": period.start,
                "end": period.end,
                "as_of": today,
                "totals": FiguresSerializer(total.as_dict()).data,
                "offices": OfficeTimelinessSerializer(rows, many=True).data,
                "semiannual_reports": SemiannualReportSerializer(semiannual, many=True).data,
            }
        )


class IndicatorSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    year = serializers.IntegerField()
    no = serializers.IntegerField()
    text = serializers.CharField()
    offices_text = serializers.CharField()
    note = serializers.CharField()
    lead_office = serializers.CharField(source="lead_office.code", allow_null=True, default=None)
    lead = serializers.SerializerMethodField()
    cooperating = serializers.SerializerMethodField()
    status = serializers.CharField()
    status_display = serializers.CharField(source="get_status_display")
    status_comment = serializers.CharField()
    decided_at = serializers.DateTimeField(allow_null=True)
    progress_entries = serializers.IntegerField(source="entries")

    def _codes(self, obj, role) -> list[str]:
        return [a.office.code for a in obj.assignments.all() if a.role == role]

    def get_lead(self, obj) -> list[str]:
        return self._codes(obj, IndicatorRole.LEAD)

    def get_cooperating(self, obj) -> list[str]:
        return self._codes(obj, IndicatorRole.COOPERATING)


class IndicatorListResponseSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    results = IndicatorSerializer(many=True)


class IndicatorsApi(APIView):
    """Annex 2's indicators of a year that the user may see, with their offices, status and progress count."""

    permission_classes = WORKSPACE_API

    @extend_schema(
        parameters=[OpenApiParameter("year", int, required=False)], responses={200: IndicatorListResponseSerializer}
    )
    def get(self, request):
        year = parse_year(request.query_params.get("year"), default=timezone.localdate().year)
        indicators = selectors.indicators_for(user=request.user, year=year)
        return Response({"year": year, "results": IndicatorSerializer(indicators, many=True).data})
