from django.urls import path

from .views import dashboard, reports, supervision

app_name = "leadership"

urlpatterns: list = [
    # --- supervision (O1) ---
    path("supervising/", supervision.supervising, name="supervising"),
    path("awaiting/", supervision.awaiting, name="awaiting"),
    path("orders/new/", supervision.order_new, name="order_new"),
    path("orders/<int:pk>/", supervision.order_detail, name="order_detail"),
    path("orders/<int:pk>/print/", supervision.order_print, name="order_print"),
    path("orders/<int:pk>/reply/", supervision.order_reply, name="order_reply"),
    path("orders/<int:pk>/accept/", supervision.order_accept, name="order_accept"),
    path("orders/<int:pk>/return/", supervision.order_return, name="order_return"),
    path("instructions/new/", supervision.instruction_new, name="instruction_new"),
    path("instructions/<int:pk>/", supervision.instruction_detail, name="instruction_detail"),
    path(
        "instructions/<int:pk>/acknowledge/",
        supervision.instruction_acknowledge,
        name="instruction_acknowledge",
    ),
    path(
        "instructions/<int:pk>/answer/",
        supervision.instruction_answer,
        name="instruction_answer",
    ),
]

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

# The dashboard (O7, O2)
urlpatterns += [
    path("", dashboard.dashboard, name="dashboard"),
    path("units/<int:pk>/", dashboard.unit_dashboard, name="unit_dashboard"),
    path("settings/", dashboard.policy_edit, name="policy"),
]
