from django.urls import path  # noqa: F401

app_name = "leads"

urlpatterns: list = []

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
