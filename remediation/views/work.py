"""Work on an item: measures, their status and progress notes, evidence and its review.
One POST view per action: load with get_item_for_user, ask ITEM_ACTIONS, validate the form,
call one service, redirect to the item page (or show the bound form's errors on it)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from .. import forms, services
from ..access import (
    ITEM_ACTIONS,
    can_note_measure,
    get_evidence_of_item,
    get_item_for_user,
    get_measure_of_item,
)
from ..models import EvidenceStatus, Item
from ..workflow import RemediationError
from .files import file_response
from .items import render_item_page


def _allowed(request: HttpRequest, action: str, item: Item) -> None:
    if not ITEM_ACTIONS[action](request.user, item):
        raise PermissionDenied


def _back(item: Item, anchor: str) -> HttpResponse:
    return redirect(reverse("remediation:item_detail", args=[item.pk]) + f"#{anchor}")


@login_required
@require_POST
def measure_add(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_item_for_user(request.user, pk)
    _allowed(request, "add_measure", item)
    form = forms.MeasureForm(request.POST, user=request.user, auto_id="measure-%s")
    if not form.is_valid():
        return render_item_page(request, item, measure_form=form, status=422)
    try:
        services.measure_add(item=item, actor=request.user, request=request, **form.cleaned_data)
    except RemediationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已添加整改措施"))
    return _back(item, "measures")


@login_required
@require_POST
def measure_status(request: HttpRequest, pk: int, measure_pk: int) -> HttpResponse:
    item = get_item_for_user(request.user, pk)
    _allowed(request, "change_measure", item)
    measure = get_measure_of_item(item, measure_pk)
    form = forms.MeasureStatusForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, _("请选择有效的措施状态"))
        return _back(item, f"measure-{measure.pk}")
    try:
        services.measure_update(
            measure=measure,
            actor=request.user,
            status=form.cleaned_data["status"],
            owner=measure.owner,
            request=request,
        )
    except RemediationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已更新措施状态"))
    return _back(item, f"measure-{measure.pk}")


@login_required
@require_POST
def measure_note(request: HttpRequest, pk: int, measure_pk: int) -> HttpResponse:
    item = get_item_for_user(request.user, pk)
    measure = get_measure_of_item(item, measure_pk)
    if not can_note_measure(request.user, measure):
        raise PermissionDenied
    form = forms.MeasureNoteForm(request.POST, auto_id=False)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}：{'；'.join(errors)}" if label else "；".join(errors))
        return _back(item, f"measure-{measure.pk}")
    try:
        services.measure_note_add(
            measure=measure, actor=request.user, request=request, **form.cleaned_data
        )
    except RemediationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已记录进展"))
    return _back(item, f"measure-{measure.pk}")


@login_required
@require_POST
def evidence_upload(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_item_for_user(request.user, pk)
    _allowed(request, "upload_evidence", item)
    form = forms.EvidenceForm(request.POST, request.FILES, auto_id="evidence-%s")
    if form.is_valid():
        try:
            services.evidence_add(
                item=item,
                actor=request.user,
                upload=form.cleaned_data["file"],
                note=form.cleaned_data["note"],
                request=request,
            )
        except RemediationError as exc:
            form.add_error("file", str(exc))
        else:
            messages.success(request, _("已上传佐证材料"))
            return _back(item, "evidence")
    return render_item_page(request, item, evidence_form=form, status=422)


@login_required
@require_GET
@never_cache
def evidence_download(request: HttpRequest, pk: int, evidence_pk: int) -> HttpResponse:
    item = get_item_for_user(request.user, pk)
    evidence = get_evidence_of_item(item, evidence_pk)
    services.document_record_download(
        document=evidence.document, owner=item, actor=request.user, request=request
    )
    return file_response(evidence.document)


@login_required
@require_POST
def evidence_review(request: HttpRequest, pk: int, evidence_pk: int) -> HttpResponse:
    item = get_item_for_user(request.user, pk)
    _allowed(request, "review_evidence", item)
    evidence = get_evidence_of_item(item, evidence_pk)
    form = forms.EvidenceReviewForm(request.POST, auto_id=False)
    if not form.is_valid():
        messages.error(request, _("请选择审核结论"))
        return _back(item, "evidence")
    try:
        services.evidence_review(
            evidence=evidence,
            actor=request.user,
            approve=form.cleaned_data["decision"] == EvidenceStatus.APPROVED,
            note=form.cleaned_data["note"],
            request=request,
        )
    except RemediationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已审核佐证材料"))
    return _back(item, "evidence")
