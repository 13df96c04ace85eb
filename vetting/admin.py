"""The system admin edits the credit check's rules (which dishonesty counts, how far back); staff read them on
``/workspace/vetting/rules/``. Rules are seeded from the item catalogue, so none is added or deleted here."""

from django.contrib import admin

from vetting.models import CheckRule, EvaluationRule


@admin.register(CheckRule)
class CheckRuleAdmin(admin.ModelAdmin):
    list_display = ("__str__", "source", "lookback_years", "within_publicity", "enabled")
    list_filter = ("source", "enabled")
    fields = ("source", "item", "list_name", "enabled", "lookback_years", "within_publicity", "note")
    readonly_fields = ("source", "item")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(EvaluationRule)
class EvaluationRuleAdmin(admin.ModelAdmin):
    """The credit evaluation's weights and windows (seeded from the catalogue; edited, never added or deleted)."""

    list_display = ("__str__", "points", "window_years", "cap", "enabled")
    fields = ("factor", "item", "points", "window_years", "cap", "enabled", "note")
    readonly_fields = ("factor", "item")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
