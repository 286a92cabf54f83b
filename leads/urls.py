from django.urls import path

from .views import (
    actions,
    attachments,
    detail,
    imports,
    intake,
    ledger,
    oversight,
    public,
    screening,
)

app_name = "leads"

# --- intake, ledger, lead pages, public reporting ------------------------
urlpatterns: list = [
    path("", ledger.ledger, name="ledger"),
    path("intake/", intake.intake_queue, name="intake"),
    path("register/", intake.lead_register, name="register"),
    path("mine/", ledger.my_work, name="my_work"),
    path("<int:pk>/", detail.lead_detail, name="detail"),
    path("<int:pk>/register/", intake.lead_register, name="register_existing"),
    path("<int:pk>/reveal/", detail.lead_reveal, name="reveal"),
    path("<int:pk>/archive/", detail.lead_archive_sheet, name="archive_sheet"),
    path("<int:pk>/do/<slug:name>/", actions.lead_action, name="action"),
    path("report/", public.public_report, name="public_report"),
    path("report/status/", public.public_status, name="public_status"),
    path("report/receipt/", public.public_receipt, name="public_receipt"),
]

# --- intake follow-ups: original report, subject confirmation, edits ----------------------

urlpatterns += [
    path("<int:pk>/original/", intake.lead_original, name="original"),
    path("<int:pk>/edit/", intake.lead_edit, name="edit"),
    path(
        "<int:pk>/subjects/<int:candidate_pk>/",
        intake.subject_decide,
        name="subject_decide",
    ),
]

# --- import, export, smart screening -------------------------------------

urlpatterns += [
    path("import/", imports.lead_import, name="import"),
    path("import/template.xlsx", imports.lead_import_template, name="import_template"),
    path("import/<int:pk>/", imports.lead_import_job, name="import_job"),
    path("import/<int:pk>/confirm/", imports.lead_import_confirm, name="import_confirm"),
    path("import/<int:pk>/cancel/", imports.lead_import_cancel, name="import_cancel"),
    path(
        "import/<int:pk>/errors.xlsx",
        imports.lead_import_errors_xlsx,
        name="import_errors_xlsx",
    ),
    path("export.xlsx", ledger.ledger_export, name="ledger_export"),
    path("screening/", screening.screening, name="screening"),
    path("screening/similar/", screening.similar, name="similar"),
]

# --- attachments and the handler-conflict hint ----------------------------

urlpatterns += [
    path("<int:pk>/attachments/", attachments.attachment_upload, name="attachment_upload"),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/",
        attachments.attachment_download,
        name="attachment",
    ),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/remove/",
        attachments.attachment_remove,
        name="attachment_remove",
    ),
    path(
        "<int:pk>/assign/conflicts/",
        screening.assign_conflicts_hint,
        name="assign_conflicts",
    ),
]

# --- oversight: listed supervision, jurisdiction, risk notes, escalations ----

urlpatterns += [
    path("oversight/", oversight.oversight_board, name="oversight"),
    path("risk/", oversight.risk_notes, name="risk_notes"),
    path("risk/officer/<int:pk>/", oversight.officer_risk, name="officer_risk"),
    path("<int:pk>/supervision/", oversight.supervision_list, name="supervision_list"),
    path(
        "<int:pk>/supervision/unlist/",
        oversight.supervision_unlist,
        name="supervision_unlist",
    ),
    path("<int:pk>/supervision/note/", oversight.supervision_note, name="supervision_note"),
    path("<int:pk>/jurisdiction/", oversight.jurisdiction_change, name="jurisdiction"),
    path("<int:pk>/risk/", oversight.lead_risk_add, name="risk_add"),
    path(
        "<int:pk>/accountability/",
        oversight.accountability_add,
        name="accountability_add",
    ),
]
