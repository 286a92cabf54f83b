"""Web import of an office's existing ledger: upload -> stored job -> Celery task builds the
preview (column mapping, unrecognised columns, remapped values, warnings and errors per
row; nothing stored) -> the uploader confirms -> the task imports -> counts, or the problem
list (page and .xlsx). Jobs are seen only by their uploader: a preview is cut to what the
uploader may see."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from rectify.access import role_required
from rectify.excel import xlsx_response
from rectify.models import AuditVerb, Role

from .. import selectors
from ..access import get_import_job_for_user, lead_offices_for
from ..audit import IMPORT_ERRORS_EXPORTED, audit_read
from ..ledger.columns import COLUMNS
from ..ledger.jobs import ImportJobError, import_job_cancel, import_job_confirm, import_job_create
from ..models import LeadImportJob

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile
    from django.db.models import QuerySet

    from rectify.models import Office

IMPORTERS = (Role.INTAKE, Role.OFFICE)


class LeadImportForm(forms.Form):
    office = forms.ModelChoiceField(label=_("导入到办公室"), queryset=None, empty_label=None)
    file = forms.FileField(
        label=_("线索台账 Excel 文件（.xlsx）"),
        help_text=_("列：") + "、".join(COLUMNS) + _("（可用常见的同义列名）"),
    )
    dry_run = forms.BooleanField(label=_("仅校验，不保存"), required=False)

    def __init__(self, *args: Any, offices: QuerySet[Office], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(
                _("请上传 .xlsx 格式的 Excel 文件（旧版 .xls 请先另存为 .xlsx）")
            )
        if upload.size > settings.EXCEL_IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("文件过大"))
        return upload


@role_required(*IMPORTERS)
def lead_import(request: HttpRequest) -> HttpResponse:
    offices = lead_offices_for(request.user)
    form = LeadImportForm(request.POST or None, request.FILES or None, offices=offices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        job = import_job_create(
            office=data["office"],
            actor=request.user,
            filename=upload.name,
            content=b"".join(upload.chunks()),
            dry_run=data["dry_run"],
            request=request,
        )
        return redirect("leads:import_job", pk=job.pk)
    jobs = selectors.import_jobs_recent(request.user)
    return render(request, "leads/import.html", {"form": form, "jobs": jobs})


PREVIEW_ROWS = 500  # rows listed on the page; the .xlsx problem list has every one


def _preview_context(job: LeadImportJob) -> dict:
    preview = job.preview or {}
    rows = [
        r
        for r in preview.get("rows", [])
        if r["action"] != "unchanged" or r["warnings"] or r["errors"]
    ]
    return {
        "job": job,
        "preview": preview,
        "preview_rows": rows[:PREVIEW_ROWS],
        "preview_cut": max(0, len(rows) - PREVIEW_ROWS),
        "problems": [e for e in job.errors if e.get("level") != "warning"],
    }


@role_required(*IMPORTERS)
def lead_import_job(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress page, then the preview with 确认导入, then the outcome; htmx polls the
    same URL while a task runs and gets only the status partial."""
    job = get_import_job_for_user(request.user, pk)
    template = "leads/import_progress.html" if request.htmx else "leads/import_job.html"
    return render(request, template, _preview_context(job))


@require_POST
@role_required(*IMPORTERS)
def lead_import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_import_job_for_user(request.user, pk)
    try:
        import_job_confirm(job=job, actor=request.user, request=request)
    except ImportJobError as exc:
        messages.error(request, str(exc))
    return redirect("leads:import_job", pk=job.pk)


@require_POST
@role_required(*IMPORTERS)
def lead_import_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_import_job_for_user(request.user, pk)
    try:
        import_job_cancel(job=job, actor=request.user, request=request)
    except ImportJobError as exc:
        messages.error(request, str(exc))
    return redirect("leads:import_job", pk=job.pk)


@role_required(*IMPORTERS)
def lead_import_errors_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_import_job_for_user(request.user, pk)
    audit_read(
        actor=request.user,
        action=IMPORT_ERRORS_EXPORTED,
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
        f"导入问题-{job.pk}.xlsx",
        [("问题", ["工作表", "行", "列", "值", "原因", "级别"], rows)],
    )


TEMPLATE_NOTES = [
    ["填表说明"],
    ["每行一条线索；线索编号、受理日期、反映内容摘要必填，受理日期不能晚于今天。"],
    ["日期可写 2021-04-03、2021年4月3日 或 2021.4.3；多名被反映人以“、”分隔。"],
    ["反映人写姓名，匿名写“匿名”；承办单位写纪委监委（纪工委）的，按移交导入。"],
    ["上传后先显示预览（列对应、值的转换、每行的警告和错误），确认后才导入。"],
]


@role_required(*IMPORTERS)
def lead_import_template(request: HttpRequest) -> HttpResponse:
    """An empty ledger in the canonical columns (the layout the export writes too)."""
    return xlsx_response(
        "线索台账导入模板.xlsx", [("线索台账", COLUMNS, []), ("填表说明", [], TEMPLATE_NOTES)]
    )
