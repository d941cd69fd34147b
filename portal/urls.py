from django.urls import path

from security.limits import public_page_limits

from . import views
from .feeds import LatestEntriesFeed

app_name = "portal"

urlpatterns = [
    path("open/", views.home, name="home"),
    # Anonymous visitors' lists, searches and feed are limited (security.limits, issue 26).
    path("catalogue/", public_page_limits(views.catalogue), name="catalogue"),
    path("catalogue/feed/", public_page_limits(LatestEntriesFeed()), name="feed"),
    path("catalogue/<int:pk>/", views.catalogue_detail, name="catalogue_detail"),
    path(
        "catalogue/<int:pk>/attachments/<int:attachment_pk>/",
        views.catalogue_attachment,
        name="catalogue_attachment",
    ),
    path("guide/", views.guide_list, name="guide_list"),
    path("guide/<str:code>/", views.guide, name="guide"),
]
