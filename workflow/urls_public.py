from django.urls import path

from security.captcha import captcha_image

from .views import public

app_name = "public"

urlpatterns = [
    path("", public.apply, name="apply"),
    path("captcha.png", captcha_image, name="captcha"),
    path("applied/", public.applied, name="applied"),
    path("status/", public.status, name="status"),
]
