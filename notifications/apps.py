from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from audit.services import audit_listen

        from . import signals  # noqa: F401 - connects the receivers
        from .applicant import (
            ACTION_EVENTS,
            FEE_ACTIONS,
            applicant_on_audit,
            applicant_on_fee_audit,
        )

        # The request's steps tell the applicant through their audit rows (notifications.applicant).
        audit_listen(actions=ACTION_EVENTS, listener=applicant_on_audit)
        audit_listen(actions=FEE_ACTIONS, listener=applicant_on_fee_audit)
