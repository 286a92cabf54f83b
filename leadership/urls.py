from django.urls import path

from .views import reports

app_name = "leadership"

urlpatterns: list = []

# Reports to the superior and 通报 (O7)
urlpatterns += [
    path("reports/", reports.reports_home, name="reports"),
    path("reports/request/", reports.report_request, name="report_request"),
    path("reports/<int:pk>/", reports.report_detail, name="report_detail"),
    path("reports/<int:pk>/download/", reports.report_download, name="report_download"),
    path("reports/<int:pk>/submit/", reports.report_submit, name="report_submit"),
    path(
        "reports/submissions/<int:pk>/return/",
        reports.submission_return,
        name="submission_return",
    ),
    path("bulletins/new/", reports.bulletin_generate, name="bulletin_generate"),
    path("bulletins/<int:pk>/", reports.bulletin_detail, name="bulletin_detail"),
    path("bulletins/<int:pk>/edit/", reports.bulletin_edit, name="bulletin_edit"),
    path("bulletins/<int:pk>/issue/", reports.bulletin_issue, name="bulletin_issue"),
]
