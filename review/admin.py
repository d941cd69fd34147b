from django.contrib import admin

from .models import (
    Countersign,
    CountersignUnit,
    ManualCheck,
    NegativeListTerm,
    Redaction,
    Referral,
    ReviewDecision,
    Scan,
    ScanFinding,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Review records change only through the review services, which audit them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReviewDecision)
class ReviewDecisionAdmin(ReadOnlyAdmin):
    list_display = ("item", "reviewer", "outcome", "legal_ground", "created_at")
    list_filter = ("outcome",)
    readonly_fields = [f.name for f in ReviewDecision._meta.fields]


@admin.register(Referral)
class ReferralAdmin(ReadOnlyAdmin):
    list_display = ("item", "to_unit", "requested_by", "ruling", "ruled_by", "ruled_at", "due_on")
    list_filter = ("ruling",)


@admin.register(NegativeListTerm)
class NegativeListTermAdmin(admin.ModelAdmin):
    """The negative list (负面清单, seed 004), per district and per unit. Terms are switched off
    rather than deleted, so a past scan's finding still names a term that exists."""

    list_display = ("term", "district", "unit", "note", "active")
    list_filter = ("active", "district", "unit")
    search_fields = ("term", "note")

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Scan)
class ScanAdmin(ReadOnlyAdmin):
    list_display = ("item", "created_at", "requested_by")


@admin.register(ScanFinding)
class ScanFindingAdmin(ReadOnlyAdmin):
    list_display = ("item", "kind", "text", "confidence", "resolution", "resolved_by")
    list_filter = ("kind", "resolution")


@admin.register(Redaction)
class RedactionAdmin(ReadOnlyAdmin):
    list_display = ("item", "source", "start", "end", "ground", "created_by", "withdrawn_at")
    list_filter = ("ground",)


@admin.register(CountersignUnit)
class CountersignUnitAdmin(ReadOnlyAdmin):
    list_display = ("item", "unit", "named_by", "named_at")


@admin.register(Countersign)
class CountersignAdmin(ReadOnlyAdmin):
    list_display = ("item", "unit", "status", "due_on", "decided_by", "decided_at")
    list_filter = ("status",)


@admin.register(ManualCheck)
class ManualCheckAdmin(ReadOnlyAdmin):
    list_display = ("item", "attachment", "confirmed_by", "confirmed_at")
