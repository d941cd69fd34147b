"""Operators' view of background work: what failed, what waits in the outbox, what was sent."""

from django.contrib import admin

from .applicant import applicant_template_save
from .models import (
    ApplicantNotice,
    ApplicantTemplate,
    DeadlineAlert,
    Delivery,
    Digest,
    Notification,
    OutboxMessage,
    Preference,
    TaskFailure,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records written by the system; changing them by hand would falsify the trail."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DeadlineAlert)
class DeadlineAlertAdmin(ReadOnlyAdmin):
    list_display = (
        "created_at",
        "kind",
        "deadline",
        "subject_key",
        "due_on",
        "step",
        "rung",
        "action",
    )
    list_filter = ("kind", "deadline", "rung", "action")
    search_fields = ("subject_key",)
    date_hierarchy = "created_at"


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "recipient", "verb", "read_at")
    list_filter = ("verb",)
    search_fields = ("recipient__username",)
    raw_id_fields = ("recipient", "alert")


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = (
        "created_at",
        "notification",
        "channel",
        "status",
        "not_before",
        "attempts",
        "sent_at",
        "last_error",
    )
    list_filter = ("status", "channel")
    raw_id_fields = ("notification", "digest")


@admin.register(Digest)
class DigestAdmin(ReadOnlyAdmin):
    list_display = ("day", "user", "channel", "status", "attempts", "sent_at")
    list_filter = ("status", "channel")


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "task_name", "args", "attempts", "sent_at", "error")
    list_filter = (("sent_at", admin.EmptyFieldListFilter), "task_name")


@admin.register(TaskFailure)
class TaskFailureAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "task_name", "task_id", "error")
    search_fields = ("task_name", "error")


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "channel", "mode")
    list_filter = ("channel", "mode")
    raw_id_fields = ("user",)


@admin.register(ApplicantTemplate)
class ApplicantTemplateAdmin(admin.ModelAdmin):
    """The texts applicants are sent (notifications.applicant). One per event, seeded: edited,
    never added or removed (without one an event would tell nobody). Every change is audited
    with its old and new text."""

    list_display = ("event", "subject", "updated_at", "updated_by")
    fields = ("event", "subject", "body", "sms", "updated_at", "updated_by")
    readonly_fields = ("event", "updated_at", "updated_by")

    def save_model(self, request, obj, form, change):
        applicant_template_save(template=obj, user=request.user)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ApplicantNotice)
class ApplicantNoticeAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "request", "event", "channel", "status", "not_before", "sent_at")
    list_filter = ("event", "channel", "status")
    search_fields = ("request__tracking_code",)
    raw_id_fields = ("request",)
    date_hierarchy = "created_at"
