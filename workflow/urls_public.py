from django.urls import path

from .views import public

app_name = "public"

urlpatterns = [
    path("", public.apply, name="apply"),
    path("applied/", public.applied, name="applied"),
    path("status/", public.status, name="status"),
]
