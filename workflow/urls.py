from django.urls import path

from .views import catalogue, home, items, tasks

app_name = "workflow"

urlpatterns = [
    path("", home.inbox, name="inbox"),
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
    path("catalogue/", catalogue.catalogue_list, name="catalogue"),
    path("catalogue/<int:pk>/", catalogue.catalogue_detail, name="catalogue_detail"),
]
