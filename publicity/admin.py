"""The Django admin of the column, for the system admin (系统管理员): the penalty publicity-period rules.

Who may change them is ``accounts.roles.ADMIN_MODEL_PERMISSIONS``; every change is in the admin log (hence the audit
log, ``audit.signals``) and in the rule's own history (simple-history, ``PublicityPeriodRule.history``)."""

from django.contrib import admin

from publicity.models import PublicityPeriodRule


@admin.register(PublicityPeriodRule)
class PublicityPeriodRuleAdmin(admin.ModelAdmin):
    list_display = ("penalty_category", "severity", "sector", "min_months", "max_months", "basis")
    list_filter = ("severity", "sector")
    search_fields = ("penalty_category", "sector", "basis")
    fields = ("penalty_category", "severity", "sector", "min_months", "max_months", "basis")
