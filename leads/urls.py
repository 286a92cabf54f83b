from __future__ import annotations

from django.urls import URLPattern, path

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
    supervision,
)

app_name = "leads"

# --- the ledger and work lists ---------------------------------------------------------------

urlpatterns: list[URLPattern] = [
    path("", ledger.ledger, name="ledger"),
    path("mine/", ledger.my_work, name="my_work"),
    path("export.xlsx", ledger.ledger_export, name="ledger_export"),
    path("oversight/", oversight.oversight_board, name="oversight"),
]

# --- intake: the queue, registering, the original report, subjects, edits -------------------

urlpatterns += [
    path("intake/", intake.intake_queue, name="intake"),
    path("register/", intake.lead_register, name="register"),
    path("<int:pk>/register/", intake.lead_register, name="register_existing"),
    path("<int:pk>/original/", intake.lead_original, name="original"),
    path("<int:pk>/edit/", intake.lead_edit, name="edit"),
    path(
        "<int:pk>/subjects/<int:candidate_pk>/",
        intake.subject_decide,
        name="subject_decide",
    ),
]

# --- a lead: its page and one URL per action (leads.access.LEAD_ACTIONS) ---------------------

urlpatterns += [
    path("<int:pk>/", detail.lead_detail, name="detail"),
    path("<int:pk>/reveal/", detail.lead_reveal, name="reveal"),
    path("<int:pk>/archive/", detail.lead_archive_sheet, name="archive_sheet"),
    path("<int:pk>/assign/", actions.lead_assign, name="assign"),
    path("<int:pk>/transfer/", actions.lead_transfer, name="transfer"),
    path("<int:pk>/transfer/feedback/", actions.lead_transfer_feedback, name="feedback"),
    path("<int:pk>/merge/", actions.lead_merge, name="merge"),
    path("<int:pk>/hold/", actions.lead_hold, name="hold"),
    path("<int:pk>/close/", actions.lead_close, name="close"),
    path("<int:pk>/events/", actions.lead_event_add, name="event"),
    path("<int:pk>/conclude/", actions.lead_conclude, name="conclude"),
    path("<int:pk>/sign/", actions.lead_sign, name="sign"),
    path("<int:pk>/cross-off/", actions.lead_cross_off, name="cross_off"),
    path("<int:pk>/reply/", actions.lead_reply, name="reply"),
    path(
        "<int:pk>/assign/conflicts/",
        screening.assign_conflicts_hint,
        name="assign_conflicts",
    ),
]

# --- a lead's attachments ----------------------------------------------------------------------

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
]

# --- a lead's oversight: listed supervision, jurisdiction, risk notes, accountability --------

urlpatterns += [
    path("<int:pk>/supervision/", supervision.supervision_list, name="supervision_list"),
    path(
        "<int:pk>/supervision/unlist/",
        supervision.supervision_unlist,
        name="supervision_unlist",
    ),
    path("<int:pk>/supervision/note/", supervision.supervision_note, name="supervision_note"),
    path("<int:pk>/jurisdiction/", supervision.jurisdiction_change, name="jurisdiction"),
    path("<int:pk>/risk/", supervision.lead_risk_add, name="risk_add"),
    path(
        "<int:pk>/accountability/",
        supervision.accountability_add,
        name="accountability_add",
    ),
]

# --- risk notes -----------------------------------------------------------------------------

urlpatterns += [
    path("risk/", oversight.risk_notes, name="risk_notes"),
    path("risk/officer/<int:pk>/", oversight.officer_risk, name="officer_risk"),
]

# --- import and smart screening -------------------------------------------------------------

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
    path("screening/", screening.screening, name="screening"),
    path("screening/similar/", screening.similar, name="similar"),
]

# --- public reporting (no login) ------------------------------------------------------------

urlpatterns += [
    path("report/", public.public_report, name="public_report"),
    path("report/status/", public.public_status, name="public_status"),
    path("report/receipt/", public.public_receipt, name="public_receipt"),
]
