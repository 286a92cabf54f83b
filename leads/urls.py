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
    path("report/receipt/", views.public_receipt, name="public_receipt"),
]

# --- intake follow-ups: original report, subject confirmation, edits ----------------------
from . import intake_views  # noqa: E402

urlpatterns += [
    path("<int:pk>/original/", intake_views.lead_original, name="original"),
    path("<int:pk>/edit/", intake_views.lead_edit, name="edit"),
    path(
        "<int:pk>/subjects/<int:candidate_pk>/",
        intake_views.subject_decide,
        name="subject_decide",
    ),
]

# --- import, export, smart screening (leads helper B) -------------------------------------
from . import export_views, import_views, screening_views  # noqa: E402

urlpatterns += [
    path("import/", import_views.lead_import, name="import"),
    path("import/template.xlsx", import_views.lead_import_template, name="import_template"),
    path("import/<int:pk>/", import_views.lead_import_job, name="import_job"),
    path("import/<int:pk>/confirm/", import_views.lead_import_confirm, name="import_confirm"),
    path("import/<int:pk>/cancel/", import_views.lead_import_cancel, name="import_cancel"),
    path(
        "import/<int:pk>/errors.xlsx",
        import_views.lead_import_errors_xlsx,
        name="import_errors_xlsx",
    ),
    path("export.xlsx", export_views.ledger_export, name="ledger_export"),
    path("screening/", screening_views.screening, name="screening"),
    path("screening/similar/", screening_views.similar, name="similar"),
]

# --- attachments and the handler-conflict hint (leads helper C) ----------------------------
from . import attachment_views, conflict_views  # noqa: E402

urlpatterns += [
    path("<int:pk>/attachments/", attachment_views.attachment_upload, name="attachment_upload"),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/",
        attachment_views.attachment_download,
        name="attachment",
    ),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/remove/",
        attachment_views.attachment_remove,
        name="attachment_remove",
    ),
    path(
        "<int:pk>/assign/conflicts/",
        conflict_views.assign_conflicts_hint,
        name="assign_conflicts",
    ),
]

# --- oversight: listed supervision, jurisdiction, risk notes, escalations (leads helper C) ----
from . import oversight_views  # noqa: E402

urlpatterns += [
    path("oversight/", oversight_views.oversight_board, name="oversight"),
    path("risk/", oversight_views.risk_notes, name="risk_notes"),
    path("risk/officer/<int:pk>/", oversight_views.officer_risk, name="officer_risk"),
    path("<int:pk>/supervision/", oversight_views.supervision_list, name="supervision_list"),
    path(
        "<int:pk>/supervision/unlist/",
        oversight_views.supervision_unlist,
        name="supervision_unlist",
    ),
    path("<int:pk>/supervision/note/", oversight_views.supervision_note, name="supervision_note"),
    path("<int:pk>/jurisdiction/", oversight_views.jurisdiction_change, name="jurisdiction"),
    path("<int:pk>/risk/", oversight_views.lead_risk_add, name="risk_add"),
    path(
        "<int:pk>/accountability/",
        oversight_views.accountability_add,
        name="accountability_add",
    ),
]
