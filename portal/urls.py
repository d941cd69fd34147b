from django.urls import path

from . import views
from .feeds import LatestEntriesFeed

app_name = "portal"

urlpatterns = [
    path("open/", views.home, name="home"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("catalogue/feed/", LatestEntriesFeed(), name="feed"),
    path("catalogue/<int:pk>/", views.catalogue_detail, name="catalogue_detail"),
    path(
        "catalogue/<int:pk>/attachments/<int:attachment_pk>/",
        views.catalogue_attachment,
        name="catalogue_attachment",
    ),
    path("guide/", views.guide_list, name="guide_list"),
    path("guide/<str:code>/", views.guide, name="guide"),
]
