from django.contrib import admin

from .models import Referral, ReviewDecision


@admin.register(ReviewDecision)
class ReviewDecisionAdmin(admin.ModelAdmin):
    list_display = ("item", "reviewer", "outcome", "legal_ground", "created_at")
    list_filter = ("outcome",)
    readonly_fields = [f.name for f in ReviewDecision._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Referral)
class ReferralAdmin(admin.ModelAdmin):
    list_display = ("item", "to_unit", "requested_by", "ruling", "ruled_by", "ruled_at")
    list_filter = ("ruling",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
