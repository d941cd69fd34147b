from django.contrib import admin

from .models import AnnualReport, Appeal
from .services import appeal_save_by_admin


@admin.register(AnnualReport)
class AnnualReportAdmin(admin.ModelAdmin):
    """Read only: reports are prepared and submitted on their own pages, where every change is
    checked and audited."""

    list_display = ("__str__", "year", "district", "unit", "item", "submitted_at")
    list_filter = ("year", "district")
    search_fields = ("unit__name", "district__name")
    list_select_related = ("district", "unit", "item")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Appeal)
class AppealAdmin(admin.ModelAdmin):
    list_display = ("case_number", "kind", "unit", "filed_on", "concluded_on", "result")
    list_filter = ("kind", "result", "unit")
    search_fields = ("case_number", "unit__name", "request__tracking_code")
    date_hierarchy = "filed_on"
    raw_id_fields = ("request",)
    exclude = ("created_by",)
    list_select_related = ("unit",)

    def save_model(self, request, obj, form, change):
        appeal_save_by_admin(appeal=obj, user=request.user, created=not change)

    def has_delete_permission(self, request, obj=None):
        return False
