"""Web import of an office's existing ledger: upload -> stored job -> Celery task -> a
progress page polled by htmx -> counts, or the per-row error table and an error .xlsx."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from rectify.access import lead_import_jobs_visible_to, lead_offices_for, role_required
from rectify.audit import audit_record
from rectify.excel import xlsx_response
from rectify.models import AuditVerb, Role

from .importers import COLUMNS
from .models_import import LeadImportJob
from .tasks_import import lead_import_run

IMPORTERS = (Role.INTAKE, Role.OFFICE)


class LeadImportForm(forms.Form):
    office = forms.ModelChoiceField(label=_("导入到办公室"), queryset=None, empty_label=None)
    file = forms.FileField(
        label=_("线索台账 Excel 文件（.xlsx）"),
        help_text=_("列：") + "、".join(COLUMNS) + _("（可用常见的同义列名）"),
    )
    dry_run = forms.BooleanField(label=_("仅校验，不保存"), required=False)

    def __init__(self, *args, offices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices

    def clean_file(self):
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
        job = LeadImportJob.objects.create(
            office=data["office"],
            created_by=request.user,
            filename=upload.name[:255],
            content=b"".join(upload.chunks()),
            dry_run=data["dry_run"],
        )
        audit_record(
            actor=request.user,
            action="leads.import.uploaded",
            verb=AuditVerb.CREATE,
            target=job,
            data={"filename": job.filename, "dry_run": job.dry_run},
            request=request,
        )
        transaction.on_commit(lambda: lead_import_run.delay(job.pk))
        return redirect("leads:import_job", pk=job.pk)
    jobs = lead_import_jobs_visible_to(request.user).select_related("office").defer("content")[:10]
    return render(request, "leads/import.html", {"form": form, "jobs": jobs})


def _get_job(request, pk: int) -> LeadImportJob:
    job = (
        lead_import_jobs_visible_to(request.user)
        .select_related("office")
        .defer("content")
        .filter(pk=pk)
        .first()
    )
    if job is None:
        raise Http404
    return job


@role_required(*IMPORTERS)
def lead_import_job(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress page; htmx polls the same URL and gets only the status partial."""
    job = _get_job(request, pk)
    template = "leads/import_progress.html" if request.htmx else "leads/import_job.html"
    return render(request, template, {"job": job})


@role_required(*IMPORTERS)
def lead_import_errors_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    job = _get_job(request, pk)
    audit_record(
        actor=request.user,
        action="leads.import.errors_exported",
        verb=AuditVerb.EXPORT,
        target=job,
        request=request,
    )
    rows = ([e["sheet"], e["row"], e["column"], e["value"], e["reason"]] for e in job.errors)
    return xlsx_response(
        f"导入错误-{job.pk}.xlsx", [("错误", ["工作表", "行", "列", "值", "原因"], rows)]
    )
