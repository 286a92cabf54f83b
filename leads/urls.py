from django.urls import path

from . import views

app_name = "leads"

# --- intake, ledger, lead pages, public reporting (leads helper A) ------------------------
urlpatterns: list = [
    path("", views.ledger, name="ledger"),
    path("intake/", views.intake_queue, name="intake"),
    path("register/", views.lead_register, name="register"),
    path("mine/", views.my_work, name="my_work"),
    path("<int:pk>/", views.lead_detail, name="detail"),
    path("<int:pk>/register/", views.lead_register, name="register_existing"),
    path("<int:pk>/reveal/", views.lead_reveal, name="reveal"),
    path("<int:pk>/archive/", views.lead_archive_sheet, name="archive_sheet"),
    path("<int:pk>/do/<slug:name>/", views.lead_action, name="action"),
    path("report/", views.public_report, name="public_report"),
    path("report/status/", views.public_status, name="public_status"),
]

# --- import, export, smart screening (leads helper B) -------------------------------------
from . import export_views, import_views, screening_views  # noqa: E402

urlpatterns += [
    path("import/", import_views.lead_import, name="import"),
    path("import/<int:pk>/", import_views.lead_import_job, name="import_job"),
    path(
        "import/<int:pk>/errors.xlsx",
        import_views.lead_import_errors_xlsx,
        name="import_errors_xlsx",
    ),
    path("export.xlsx", export_views.ledger_export, name="ledger_export"),
    path("screening/", screening_views.screening, name="screening"),
    path("screening/similar/", screening_views.similar, name="similar"),
]
