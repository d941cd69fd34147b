from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit log is written by the application alone and never changed."""

    list_display = (
        "at",
        "actor",
        "action",
        "subject_repr",
        "old_state",
        "new_state",
        "chain_seq",
        "short_hash",
    )
    list_filter = ("action",)
    search_fields = ("subject_repr", "comment", "actor__username")
    date_hierarchy = "at"
    # No bulk actions at all, so no "delete selected" even for a superuser.
    actions = None

    @admin.display(description=_("hash"), ordering="chain_seq")
    def short_hash(self, obj: AuditEntry) -> str:
        return obj.row_hash[:12]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
