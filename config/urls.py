from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from security import views as security_views
from workflow.forms import LoginForm

admin.site.site_header = "政府信息公开工作平台"
admin.site.site_title = "政府信息公开"

urlpatterns = [
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            template_name="registration/login.html", authentication_form=LoginForm
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        security_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="registration/password_change_done.html"
        ),
        name="password_change_done",
    ),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("api/", include("api.urls")),
    path("apply/", include("workflow.urls_public")),
    path("reports/", include("reports.urls")),
    path("notifications/", include("notifications.urls")),
    path("review/", include("review.urls")),
    path("supervision/", include("supervision.urls")),
    path("", include("portal.urls")),
    path("", include("workflow.urls")),
]
