from django.contrib import admin

from .models import Guide
from .services import guide_save


@admin.register(Guide)
class GuideAdmin(admin.ModelAdmin):
    list_display = ("unit", "office_name", "phone", "updated_at", "updated_by")
    search_fields = ("unit__name", "office_name")
    readonly_fields = ("updated_at", "updated_by")
    autocomplete_fields = ()

    def save_model(self, request, obj, form, change):
        guide_save(guide=obj, user=request.user)

    def has_delete_permission(self, request, obj=None):
        # A unit always has a guide once written (Art. 12); edit it rather than remove it.
        return False
