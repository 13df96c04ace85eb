"""Admin views of the reporting ledger: read-only, for the system admin's oversight (the workflow is the workspace)."""

from django.contrib import admin

from reporting.models import ExportBatch, ImportJob


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ExportBatch)
class ExportBatchAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "item",
        "kind",
        "format",
        "row_count",
        "status",
        "attempts",
        "created_at",
        "delivered_at",
        "receipt",
    ]
    list_filter = ["status", "kind", "item"]
    search_fields = ["receipt", "sha256"]


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdmin):
    list_display = ["id", "item", "office", "created_by", "status", "total_rows", "created_count", "created_at"]
    list_filter = ["status", "item"]
    exclude = ["errors"]
