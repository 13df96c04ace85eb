"""The Django admin of the credit app, for the system admin (系统管理员): offices' contact settings, the items'
operational settings and the working-day calendar.

Who may see and change what is decided by ``User.has_perm`` (``accounts.roles.ADMIN_MODEL_PERMISSIONS``); the classes
below only ever narrow it (the catalog is loaded by migration, so offices and items are never added or deleted here).
The calendar has one import path, ``calendar_import_csv``, shared with the ``import_calendar`` command. A year
becomes official only on the calendar's 年度确认 page (``CalendarDayAdmin.years_view``), after its notice is entered.
"""

from __future__ import annotations

from pathlib import PurePath

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from credit.models import CalendarDay, CalendarYear, Item, ItemField, Office
from credit.models.calendar import CALENDAR_DATE_MAX, CALENDAR_DATE_MIN, validate_calendar_year
from credit.services.calendar import (
    RecomputeResult,
    calendar_days_changed,
    calendar_import_csv,
    calendar_year_set_complete,
    decode_csv_bytes,
    official_years,
)

CALENDAR_CSV_MAX_BYTES = 1024 * 1024
CALENDAR_CSV_EXTENSIONS = (".csv", ".txt")
_WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    """The eleven offices come from the catalog; only their English name and notification e-mail are settings."""

    list_display = ("code", "name", "name_en", "email")
    list_display_links = ("code", "name")
    search_fields = ("code", "name", "name_en", "email")
    fields = ("code", "name", "name_en", "email")
    readonly_fields = ("code", "name")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class ItemFieldInline(admin.TabularInline):
    """The data items (数据项) of Annex 1: shown for reference, never edited here."""

    model = ItemField
    fields = ("position", "key", "name", "type", "required", "values_display", "rule")
    readonly_fields = fields
    ordering = ("position",)
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = False

    @admin.display(description=gettext_lazy("可选值"))
    def values_display(self, obj: ItemField) -> str:
        return "、".join(str(v) for v in obj.values or []) or "—"

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    """The ten items of Annex 1. The annex's attributes are read-only; the deadline settings may be tuned."""

    list_display = ("no", "name", "subject_type", "info_category", "sharing_scope", "deadline_text")
    list_display_links = ("no", "name")
    list_filter = ("subject_type", "info_category", "sharing_scope", "deadline_kind")
    search_fields = ("name", "name_en")
    ordering = ("no",)
    annex_fields = (
        "no",
        "name",
        "subject_type",
        "info_category",
        "sharing_scope",
        "validity",
        "validity_years",
        "offices_text",
        "responsible_offices",
        "any_office",
        "deadline_text",
        "deadline_kind",
        "publicity",
    )
    fieldsets = (
        (gettext_lazy("附件1属性（只读）"), {"fields": annex_fields}),
        (
            gettext_lazy("运行设置"),
            {
                "fields": ("name_en", "deadline_days", "deadline_from"),
                "description": gettext_lazy(
                    "修改工作日数只影响此后新填报或重新计算的记录，已保存记录的截止日期不会自动改变。"
                ),
            },
        ),
    )
    readonly_fields = annex_fields
    inlines = (ItemFieldInline,)

    @admin.display(description=gettext_lazy("责任处室（系统映射）"))
    def responsible_offices(self, obj: Item) -> str:
        if obj.any_office:
            return _("任一持有信息的处室")
        return "、".join(o.name for o in obj.offices.all()) or "—"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class CalendarCsvUploadForm(forms.Form):
    """The upload of a ``日期,类型,名称`` CSV file; the rows themselves are validated by ``calendar_import_csv``."""

    file = forms.FileField(
        label=gettext_lazy("CSV文件"),
        help_text=gettext_lazy(
            "每行“日期,类型,名称”，例如 2027-01-01,holiday,元旦；类型为 holiday（休）或 workday（班）；"
            "首行表头可有可无；UTF-8 或 GBK 编码，.csv 或 .txt，不超过 1 MB。"
        ),
    )

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if PurePath(upload.name).suffix.lower() not in CALENDAR_CSV_EXTENSIONS:
            raise ValidationError(_("只接受 .csv 或 .txt 文件。"))
        if upload.size > CALENDAR_CSV_MAX_BYTES:
            raise ValidationError(_("文件过大：不能超过 1 MB。"))
        return decode_csv_bytes(upload.read())


class CalendarYearForm(forms.Form):
    """Mark a year official (its notice entered in full) or provisional again."""

    year = forms.IntegerField(label=gettext_lazy("年度"), validators=[validate_calendar_year])
    complete = forms.TypedChoiceField(
        label=gettext_lazy("状态"),
        choices=((True, gettext_lazy("已按通知录入完整（正式）")), (False, gettext_lazy("暂定"))),
        coerce=lambda v: v in (True, "True"),
    )
    notice = forms.CharField(
        label=gettext_lazy("放假安排通知"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("确认为正式时必填：通知文号或标题，例如 国办发明电〔2025〕7号。"),
    )


class CalendarDayChangeList(ChangeList):
    """The calendar's change list, whose date hierarchy filters by the date's parts (``date__year=9999``).

    Django's own hierarchy turns year, month and day into a range ending on the next one, which does not exist after
    9999-12-31 (``ValueError: year 10000 is out of range``, a 500). The calendar refuses such dates, but a row stored
    before it did, or by a bulk write, must still be listed so that the admin can correct or delete it. The table is
    small: the bounded range's index use is not missed.
    """

    def get_filters(self, request):
        hierarchy, self.date_hierarchy = self.date_hierarchy, None
        try:
            return super().get_filters(request)
        finally:
            self.date_hierarchy = hierarchy


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    """Holidays and adjusted working days (节假日与调休). Every change recomputes the provisional due dates it affects."""

    list_display = ("date", "weekday", "kind", "name")
    list_filter = ("kind",)
    date_hierarchy = "date"
    search_fields = ("name",)
    ordering = ("date",)
    fields = ("date", "kind", "name")
    list_per_page = 100
    change_list_template = "admin/credit/calendarday/change_list.html"
    import_template = "admin/credit/calendarday/import_csv.html"
    years_template = "admin/credit/calendarday/years.html"

    @admin.display(description=gettext_lazy("星期"))
    def weekday(self, obj: CalendarDay) -> str:
        return _WEEKDAYS[obj.date.weekday()]

    def get_changelist(self, request: HttpRequest, **kwargs):
        return CalendarDayChangeList

    # --- keep stored due dates in step with the calendar -------------------------------------------------------

    def _report(self, request: HttpRequest, result: RecomputeResult) -> None:
        if result.updated:
            self.message_user(
                request,
                _("已重新计算截止日期：%(updated)d 条记录更新，其中 %(moved)d 条截止日期变动，已通知相关处室。")
                % {"updated": result.updated, "moved": result.moved},
                messages.INFO,
            )

    def save_model(self, request: HttpRequest, obj: CalendarDay, form, change: bool) -> None:
        dates = {obj.date}
        if change:
            previous = CalendarDay.objects.filter(pk=obj.pk).values_list("date", flat=True).first()
            if previous:
                dates.add(previous)
        super().save_model(request, obj, form, change)
        self._report(request, calendar_days_changed(dates=dates, user=request.user))

    def delete_model(self, request: HttpRequest, obj: CalendarDay) -> None:
        day = obj.date
        super().delete_model(request, obj)
        self._report(request, calendar_days_changed(dates={day}, user=request.user))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[CalendarDay]) -> None:
        dates = set(queryset.values_list("date", flat=True))
        super().delete_queryset(request, queryset)
        self._report(request, calendar_days_changed(dates=dates, user=request.user))

    # --- 年度确认: a year is official only once marked complete ----------------------------------------------------

    def years_view(self, request: HttpRequest) -> HttpResponse:
        """The years on the calendar, official (已确认) or provisional (暂定), and the form that marks one complete
        after its notice is entered (or provisional again)."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        form = CalendarYearForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                result = calendar_year_set_complete(
                    year=form.cleaned_data["year"],
                    complete=form.cleaned_data["complete"],
                    notice=form.cleaned_data["notice"],
                    user=request.user,
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                self.message_user(request, _("已保存。"), messages.SUCCESS)
                self._report(request, result)
                return HttpResponseRedirect(request.path)
        # Only the calendar's years: a day or year stored outside them (before the range was enforced) is no year to
        # confirm; the change list names such days for the admin to correct or delete.
        stored_years = set(
            CalendarDay.objects.filter(date__range=(CALENDAR_DATE_MIN, CALENDAR_DATE_MAX))
            .values_list("date__year", flat=True)
            .distinct()
        )
        rows = {
            row.year: row
            for row in CalendarYear.objects.filter(year__range=(CALENDAR_DATE_MIN.year, CALENDAR_DATE_MAX.year))
        }
        today_year = timezone.localdate().year
        years = sorted(stored_years | set(rows) | {today_year, today_year + 1}, reverse=True)
        official = official_years(min(years), max(years))
        context = {
            **self.admin_site.each_context(request),
            "title": _("年度确认"),
            "opts": self.opts,
            "form": form,
            "years": [
                {"year": y, "official": y in official, "notice": rows[y].notice if y in rows else ""} for y in years
            ],
            "has_view_permission": self.has_view_permission(request),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.years_template, context)

    # --- 从CSV导入 -------------------------------------------------------------------------------------------

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        custom = [
            path(
                "import-csv/",
                self.admin_site.admin_view(self.import_csv_view),
                name="{}_{}_import_csv".format(*info),
            ),
            path("years/", self.admin_site.admin_view(self.years_view), name="{}_{}_years".format(*info)),
        ]
        return custom + super().get_urls()

    def has_import_permission(self, request: HttpRequest) -> bool:
        # An import adds and updates days, so it needs both permissions (role-derived, see accounts.roles).
        return self.has_add_permission(request) and self.has_change_permission(request)

    def changelist_view(self, request: HttpRequest, extra_context=None):
        if request.method == "GET":
            self._warn_out_of_range(request)
        extra_context = {
            **(extra_context or {}),
            "has_import_permission": self.has_import_permission(request),
            "has_years_permission": self.has_change_permission(request),
        }
        return super().changelist_view(request, extra_context=extra_context)

    def _warn_out_of_range(self, request: HttpRequest) -> None:
        """Name the stored days outside the calendar's range (stored before it was enforced), to be corrected."""
        outside = list(
            CalendarDay.objects.exclude(date__range=(CALENDAR_DATE_MIN, CALENDAR_DATE_MAX))
            .order_by("date")
            .values_list("date", flat=True)[:6]
        )
        if outside:
            dates = "、".join(d.isoformat() for d in outside[:5]) + ("…" if len(outside) > 5 else "")
            self.message_user(
                request,
                _("以下日期超出 %(min)s 至 %(max)s 的范围，不计入工作日计算，请改正或删除：%(dates)s")
                % {"min": CALENDAR_DATE_MIN.isoformat(), "max": CALENDAR_DATE_MAX.isoformat(), "dates": dates},
                messages.WARNING,
            )

    def import_csv_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_import_permission(request):
            raise PermissionDenied
        import_errors: list[str] = []
        if request.method == "POST":
            form = CalendarCsvUploadForm(request.POST, request.FILES)
            if form.is_valid():
                try:
                    result = calendar_import_csv(data=form.cleaned_data["file"], user=request.user)
                except ValidationError as exc:
                    import_errors = exc.messages
                    self.message_user(
                        request,
                        _("文件未导入：发现 %(count)d 处错误，未保存任何数据。") % {"count": len(import_errors)},
                        messages.ERROR,
                    )
                else:
                    self.message_user(
                        request,
                        _("导入完成：新增 %(created)d 天，更新 %(updated)d 天，重新计算 %(recomputed)d 条截止日期。")
                        % {"created": result.created, "updated": result.updated, "recomputed": result.recomputed},
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(
                        reverse(f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_changelist")
                    )
        else:
            form = CalendarCsvUploadForm()
        context = {
            **self.admin_site.each_context(request),
            "title": _("从CSV导入节假日与调休"),
            "opts": self.opts,
            "form": form,
            "import_errors": import_errors,
            "has_view_permission": self.has_view_permission(request),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.import_template, context)
