from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="report_list"),
    path("new/", views.report_create_view, name="report_create"),
    path("published/", views.published, name="published"),
    path("<int:pk>/", views.report_detail, name="report_detail"),
    path("<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("<int:pk>/submit/", views.report_submit_view, name="report_submit"),
    path("<int:pk>/report.docx", views.report_docx, name="report_docx"),
    path("<int:pk>/report.xlsx", views.report_xlsx, name="report_xlsx"),
    path("appeals/", views.appeal_index, name="appeal_index"),
    path("appeals/unit/<int:unit_pk>/", views.appeal_list, name="appeal_list"),
    path("appeals/<int:pk>/edit/", views.appeal_edit, name="appeal_edit"),
]
