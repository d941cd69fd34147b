from django.urls import path

from . import views

app_name = "review"

urlpatterns = [
    path("items/<int:pk>/scan/", views.item_rescan, name="item_rescan"),
    path(
        "items/<int:pk>/findings/<int:finding_pk>/redact/",
        views.finding_redact,
        name="finding_redact",
    ),
    path(
        "items/<int:pk>/findings/<int:finding_pk>/dismiss/",
        views.finding_dismiss,
        name="finding_dismiss",
    ),
    path(
        "items/<int:pk>/findings/redact-kind/",
        views.findings_redact_kind,
        name="findings_redact_kind",
    ),
    path("items/<int:pk>/redactions/", views.passage_redact, name="passage_redact"),
    path(
        "items/<int:pk>/attachments/<int:attachment_pk>/checked/",
        views.attachment_confirm_checked,
        name="attachment_confirm_checked",
    ),
    path(
        "items/<int:pk>/attachments/<int:attachment_pk>/replace/",
        views.attachment_replace,
        name="attachment_replace",
    ),
    path(
        "items/<int:pk>/redactions/<int:redaction_pk>/withdraw/",
        views.redaction_withdraw,
        name="redaction_withdraw",
    ),
    path(
        "items/<int:pk>/countersign-units/",
        views.countersign_unit_add,
        name="countersign_unit_add",
    ),
    path(
        "items/<int:pk>/countersign-units/<int:unit_pk>/remove/",
        views.countersign_unit_remove,
        name="countersign_unit_remove",
    ),
    path("countersigns/", views.countersign_list, name="countersign_list"),
    path("countersigns/<int:pk>/", views.countersign_detail, name="countersign_detail"),
]
