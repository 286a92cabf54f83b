from django.urls import path

from .views import (
    acceptance,
    cases,
    closure,
    excel,
    items,
    ledger,
    matters,
    meetings,
    plans,
    public,
    rotations,
    rules,
    work,
)

app_name = "remediation"

urlpatterns = [
    # the ledger and my work
    path("", ledger.ledger, name="ledger"),
    path("mine/", ledger.my_items, name="my_items"),
    # Excel: the ledger export and the problem-list import (preview, confirm)
    path("export.xlsx", excel.ledger_export, name="ledger_export"),
    path("import/", excel.list_import, name="list_import"),
    path("import/template.xlsx", excel.list_import_template, name="list_import_template"),
    path("import/<int:pk>/", excel.list_import_job, name="list_import_job"),
    path("import/<int:pk>/confirm/", excel.list_import_confirm_view, name="list_import_confirm"),
    path("import/<int:pk>/cancel/", excel.list_import_cancel_view, name="list_import_cancel"),
    path(
        "import/<int:pk>/problems.xlsx",
        excel.list_import_problems_xlsx,
        name="list_import_problems",
    ),
    # plans
    path("plans/", plans.plan_list, name="plan_list"),
    path("plans/new/", plans.plan_create, name="plan_create"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", plans.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/document/", plans.plan_document, name="plan_document"),
    path("plans/<int:plan_pk>/items/new/", items.item_create, name="item_create"),
    # items
    path("items/<int:pk>/", items.item_detail, name="item_detail"),
    path("items/<int:pk>/edit/", items.item_edit, name="item_edit"),
    path("items/<int:pk>/measures/", work.measure_add, name="measure_add"),
    path(
        "items/<int:pk>/measures/<int:measure_pk>/status/",
        work.measure_status,
        name="measure_status",
    ),
    path("items/<int:pk>/measures/<int:measure_pk>/notes/", work.measure_note, name="measure_note"),
    path("items/<int:pk>/evidence/", work.evidence_upload, name="evidence_upload"),
    path(
        "items/<int:pk>/evidence/<int:evidence_pk>/",
        work.evidence_download,
        name="evidence_download",
    ),
    path(
        "items/<int:pk>/evidence/<int:evidence_pk>/review/",
        work.evidence_review,
        name="evidence_review",
    ),
    # 生成整改问题 from a lead or a self-check declaration
    path("generate/lead/<int:lead_pk>/", items.item_from_lead, name="item_from_lead"),
    path(
        "generate/selfcheck/<int:report_pk>/<slug:key>/",
        items.item_from_report,
        name="item_from_report",
    ),
    # Closure and escalation of an item (R5, R6): one URL per action.
    path("items/<int:pk>/submit/", closure.item_submit, name="item_submit"),
    path("items/<int:pk>/accept/", closure.item_accept, name="item_accept"),
    path("items/<int:pk>/return/", closure.item_return, name="item_return"),
    path(
        "items/<int:pk>/accountability/",
        closure.item_accountability_add,
        name="item_accountability_add",
    ),
    path(
        "items/<int:pk>/no-one-to-blame/",
        closure.item_no_one_to_blame,
        name="item_no_one_to_blame",
    ),
    path("items/<int:pk>/waive-survey/", closure.item_waive_survey, name="item_waive_survey"),
    path("items/<int:pk>/escalate/", closure.item_escalate, name="item_escalate"),
    # rules produced (R7)
    path("rules/", rules.rule_list, name="rule_list"),
    path("rules/new/", rules.rule_create, name="rule_create"),
    path("rules/<int:pk>/", rules.rule_detail, name="rule_detail"),
    path("rules/<int:pk>/edit/", rules.rule_edit, name="rule_edit"),
    path("rules/<int:pk>/issue/", rules.rule_issue, name="rule_issue"),
    path("rules/<int:pk>/repeal/", rules.rule_repeal, name="rule_repeal"),
    path("rules/<int:pk>/document/", rules.rule_document, name="rule_document"),
    # rotations (R8)
    path("rotations/", rotations.rotation_list, name="rotation_list"),
    path("rotations/new/", rotations.rotation_create, name="rotation_create"),
    path("rotations/overdue/", rotations.rotation_overdue, name="rotation_overdue"),
    path("rotations/<int:pk>/", rotations.rotation_detail, name="rotation_detail"),
    # meeting records (O3)
    path("meetings/", meetings.meeting_list, name="meeting_list"),
    path("meetings/new/", meetings.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", meetings.meeting_edit, name="meeting_edit"),
    # --- public pages (no login; not access-logged: deploy/gunicorn.conf.py) ------------
    path("public/units/<int:pk>/", public.public_unit, name="public_unit"),
    path("survey/", public.survey, name="survey"),
    path("survey/answer/", public.survey_answer, name="survey_answer"),
    path("survey/thanks/", public.survey_thanks, name="survey_thanks"),
    # --- public commitments and acceptance (O4) ------------------------------------------
    path("commitments/", acceptance.commitments, name="commitments"),
    path("commitments/new/", acceptance.commitment_create, name="commitment_create"),
    path("commitments/<int:pk>/edit/", acceptance.commitment_edit, name="commitment_edit"),
    path("acceptance/batches/new/", acceptance.survey_batch_new, name="survey_batch_new"),
    path("acceptance/batches/", acceptance.survey_batch_create, name="survey_batch_create"),
    path("acceptance/results/", acceptance.survey_results, name="survey_results"),
    # --- 我为群众办实事 (O5) --------------------------------------------------------------
    path("matters/", matters.matters, name="matters"),
    path("matters/new/", matters.matter_create, name="matter_create"),
    path("matters/<int:pk>/", matters.matter_detail, name="matter_detail"),
    path("matters/<int:pk>/complete/", matters.matter_complete, name="matter_complete"),
    path("matters/<int:pk>/evidence/", matters.matter_evidence, name="matter_evidence"),
    # --- typical cases (O6) --------------------------------------------------------------
    path("cases/", cases.cases, name="cases"),
    path("cases/new/", cases.case_create, name="case_create"),
    path("cases/<int:pk>/", cases.case_detail, name="case_detail"),
    path("cases/<int:pk>/submit/", cases.case_submit, name="case_submit"),
    path("cases/<int:pk>/decide/", cases.case_decide, name="case_decide"),
]
