from django.urls import path

from .views import items, requests, tasks, worklist

app_name = "workflow"

urlpatterns = [
    path("", worklist.worklist, name="inbox"),
    path("tasks/claim-next/", worklist.claim_next, name="claim_next"),
    path("approvals/", worklist.approvals, name="approvals"),
    path("items/", items.item_list, name="item_list"),
    path("items/new/", items.item_create_view, name="item_create"),
    path("items/<int:pk>/", items.item_detail, name="item_detail"),
    path("items/<int:pk>/edit/", items.item_edit_view, name="item_edit"),
    path("items/<int:pk>/submit/", items.item_submit_view, name="item_submit"),
    path("items/<int:pk>/attachments/", items.attachment_upload, name="attachment_upload"),
    path(
        "items/<int:pk>/attachments/<int:attachment_pk>/",
        items.attachment_download,
        name="attachment_download",
    ),
    path("tasks/<int:pk>/", tasks.task_detail, name="task_detail"),
    path("tasks/<int:pk>/claim/", tasks.task_claim_view, name="task_claim"),
    path("tasks/<int:pk>/release/", tasks.task_release_view, name="task_release"),
    path("processes/<int:pk>/", tasks.process_detail, name="process_detail"),
    path("requests/", requests.request_list, name="request_list"),
    path("requests/new/", requests.request_create, name="request_create"),
    path("requests/<int:pk>/", requests.request_detail, name="request_detail"),
    path(
        "requests/<int:pk>/consultations/",
        requests.consultation_open_view,
        name="consultation_open",
    ),
    path(
        "requests/<int:pk>/consultations/<int:consultation_pk>/close/",
        requests.consultation_close_view,
        name="consultation_close",
    ),
    path(
        "requests/<int:pk>/extensions/", requests.extension_request_view, name="extension_request"
    ),
    path(
        "requests/<int:pk>/extensions/<int:extension_pk>/decide/",
        requests.extension_decide_view,
        name="extension_decide",
    ),
    path("requests/<int:pk>/convert/", requests.request_convert_view, name="request_convert"),
    path("requests/<int:pk>/reasons/", requests.reasons_view, name="request_reasons"),
    path("requests/<int:pk>/fee/", requests.fee_view, name="request_fee"),
    path(
        "requests/<int:pk>/letters/<int:letter_pk>.<str:fmt>",
        requests.letter_download,
        name="letter_download",
    ),
    path(
        "requests/<int:pk>/letters/<int:letter_pk>/print/",
        requests.letter_print,
        name="letter_print",
    ),
    path(
        "requests/<int:pk>/letters/answer-preview/",
        requests.answer_letter_print,
        name="answer_letter_print",
    ),
    path(
        "requests/<int:pk>/consultations/<int:consultation_pk>/disclosure-notice/",
        requests.disclosure_notice_view,
        name="disclosure_notice",
    ),
]
