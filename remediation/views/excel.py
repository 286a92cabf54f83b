"""Excel for the problem list (问题清单): import with preview and confirmation, the problem
list of an import, the blank template, and the ledger export in the canonical layout."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from rectify.access import role_required
from rectify.audit import audit_record
from rectify.excel import xlsx_response
from rectify.models import AuditVerb

from ..access import ITEM_MANAGER_ROLES, ITEM_READER_ROLES, get_list_import_for_user, plan_units_for
from ..audit import ITEM_EXPORTED, LIST_IMPORT_ERRORS_EXPORTED, audit_read
from ..forms import LedgerFilterForm, ProblemListImportForm
from ..rules.problem_list import COLUMNS
from ..selectors import excel as excel_selectors
from ..selectors import ledger as ledger_selectors
from ..selectors import plans as plan_selectors
from ..services.list_jobs import (
    ListImportError,
    list_import_cancel,
    list_import_confirm,
    list_import_create,
)

PREVIEW_ROWS = 500  # rows listed on the page; the .xlsx problem list has every one


@role_required(*ITEM_MANAGER_ROLES)
def list_import(request: HttpRequest) -> HttpResponse:
    form = ProblemListImportForm(
        request.POST or None, request.FILES or None, units=plan_units_for(request.user)
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = list_import_create(
            unit=form.cleaned_data["unit"],
            actor=request.user,
            filename=upload.name,
            content=b"".join(upload.chunks()),
            request=request,
        )
        return redirect("remediation:list_import_job", pk=job.pk)
    jobs = excel_selectors.recent_imports(request.user)
    return render(
        request, "remediation/list_import.html", {"form": form, "jobs": jobs, "columns": COLUMNS}
    )


@role_required(*ITEM_MANAGER_ROLES)
def list_import_job(request: HttpRequest, pk: int) -> HttpResponse:
    """The preview (with 确认导入 while it may be confirmed), then the outcome."""
    job = get_list_import_for_user(request.user, pk)
    preview = job.preview or {}
    rows = [
        r
        for r in preview.get("rows", [])
        if r["action"] != "unchanged" or r["errors"] or r["warnings"]
    ]
    context = {
        "job": job,
        "preview": preview,
        "summary": job.result or {},
        "rows": rows[:PREVIEW_ROWS],
        "rows_cut": max(0, len(rows) - PREVIEW_ROWS),
        "problems": [e for e in job.errors if e.get("level") == "error"],
    }
    return render(request, "remediation/list_import_job.html", context)


@require_POST
@role_required(*ITEM_MANAGER_ROLES)
def list_import_confirm_view(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_list_import_for_user(request.user, pk)
    try:
        list_import_confirm(job=job, actor=request.user, request=request)
    except ListImportError as exc:
        messages.error(request, str(exc))
    return redirect("remediation:list_import_job", pk=job.pk)


@require_POST
@role_required(*ITEM_MANAGER_ROLES)
def list_import_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_list_import_for_user(request.user, pk)
    try:
        list_import_cancel(job=job, actor=request.user, request=request)
    except ListImportError as exc:
        messages.error(request, str(exc))
    return redirect("remediation:list_import_job", pk=job.pk)


@role_required(*ITEM_MANAGER_ROLES)
def list_import_problems_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_list_import_for_user(request.user, pk)
    audit_record(
        actor=request.user,
        action=LIST_IMPORT_ERRORS_EXPORTED,
        verb=AuditVerb.EXPORT,
        target=job,
        request=request,
    )
    rows = (
        [
            e["sheet"],
            e["row"],
            e["column"],
            e["value"],
            e["reason"],
            "警告" if e.get("level") == "warning" else "错误",
        ]
        for e in job.errors
    )
    return xlsx_response(
        f"问题清单导入问题-{job.pk}.xlsx",
        [("问题", ["工作表", "行", "列", "值", "原因", "级别"], rows)],
    )


TEMPLATE_NOTES = [
    ["填表说明"],
    ["每行一个问题；问题编号是再次导入时识别同一问题的依据，留空则自动编号。"],
    ["顽瘴痼疾填六大顽瘴痼疾之一（可用简称，如“三个规定”“减刑假释”）或本单位“N”项问题。"],
    ["问题类型填多发性、顽固性或典型性；标签填热点、堵点、难点，多个以“、”分隔。"],
    ["成因分析可填四列，或在一列中分行写“理想信念：…”“宗旨意识：…”等。"],
    ["责任人填警号或“姓名（警号）”；整改时限可写 2026-03-01、2026年3月1日 或 2026.3.1。"],
    ["整改措施每行一条，导入为对策措施；状态只能前移到整改中或待验收，验收在问题页面办理。"],
    ["上传后先显示预览（列对应、每行的变化、警告和错误），确认后才导入。"],
]


@role_required(*ITEM_MANAGER_ROLES)
def list_import_template(request: HttpRequest) -> HttpResponse:
    """An empty problem list in the canonical columns (the layout the export writes)."""
    return xlsx_response(
        "问题清单导入模板.xlsx", [("问题清单", COLUMNS, []), ("填表说明", [], TEMPLATE_NOTES)]
    )


@role_required(*ITEM_READER_ROLES)
def ledger_export(request: HttpRequest) -> HttpResponse:
    """The ledger under the page's current filters, streamed in the canonical layout."""
    user = request.user
    units = plan_selectors.reader_units(user)
    campaign = plan_selectors.current_campaign()
    problems = plan_selectors.problem_choices(campaign, [u.path for u in units[:1]])
    form = LedgerFilterForm(request.GET or None, units=units, problems=problems)
    qs = ledger_selectors.ledger_items(user, ledger_selectors.LedgerFilters(**form.filters()))
    audit_read(
        actor=user,
        action=ITEM_EXPORTED,
        verb=AuditVerb.EXPORT,
        object_type="remediation.item",
        data={"filters": request.GET.dict(), "count": qs.count()},
        request=request,
    )
    return xlsx_response("问题台账.xlsx", [("问题清单", COLUMNS, excel_selectors.export_rows(qs))])
