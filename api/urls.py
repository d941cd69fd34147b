"""The REST API: /api/schema/ (OpenAPI 3) and version 1 under /api/v1/."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView

from .exceptions import not_found
from .views import public, requests, staff

app_name = "api"

v1 = [
    path("catalogue/", public.CatalogueList.as_view(), name="catalogue"),
    path("catalogue/<int:pk>/", public.CatalogueDetail.as_view(), name="catalogue_detail"),
    path("categories/", public.CategoryList.as_view(), name="categories"),
    path("units/", public.UnitList.as_view(), name="units"),
    path("requests/", requests.RequestCollection.as_view(), name="requests"),
    path(
        "requests/status/<str:tracking_code>/",
        requests.RequestStatus.as_view(),
        name="request_status",
    ),
    path("items/", staff.ItemList.as_view(), name="items"),
    path("items/<int:pk>/", staff.ItemDetail.as_view(), name="item_detail"),
    path("requests/<int:pk>/", requests.RequestDetail.as_view(), name="request_detail"),
    path("feed/", staff.Feed.as_view(), name="feed"),
]

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    *[path(f"v1/{p.pattern}", p.callback, name=p.name) for p in v1],
    # Anything else under /api/ answers a JSON 404 rather than the HTML page.
    re_path(r"^[\s\S]*$", not_found),
]
