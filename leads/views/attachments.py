"""Attachment pages of a lead: upload, download, removal (with a confirmation page that works
without JavaScript). Every view starts from `leads.access.get_lead_for_user`, so an
invisible lead — out of scope, or one in which the user is a subject (recusal) — answers 404
for its attachments too. Also the conflict hint shown while choosing a handler."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from .. import forms
from ..access import LEAD_ACTIONS, can_remove_lead_attachment, get_lead_for_user
from ..models import Lead, LeadStatus
from ..services import attachments
from ..workflow import LeadError

if TYPE_CHECKING:
    from rectify.models import AnyUser

S = LeadStatus


def attachment_context(user: AnyUser, lead: Lead) -> dict[str, Any]:
    """What templates/leads/partials/_attachments.html needs (one query for the list)."""
    rows = list(attachments.attachments_of(lead))
    for row in rows:
        row.removable = can_remove_lead_attachment(user, lead, row)
    return {
        "attachments": rows,
        "attachment_limit": settings.LEADS_ATTACHMENTS_PER_LEAD,
        "attachment_form": forms.AttachmentUploadForm(),
    }


@login_required
@require_POST
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    lead = get_lead_for_user(request.user, pk)
    if not LEAD_ACTIONS["attach"](request.user, lead):
        raise PermissionDenied
    form = forms.AttachmentUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in form.errors.get("files", []):
            messages.error(request, error)
    else:
        try:
            stored = attachments.attachments_add(
                lead=lead, actor=request.user, uploads=form.cleaned_data["files"], request=request
            )
        except LeadError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("已上传 %(n)s 个附件：%(names)s")
                % {"n": len(stored), "names": "、".join(a.name for a in stored)},
            )
    return redirect(reverse("leads:detail", args=[lead.pk]) + "#attachments")


def _content_disposition(name: str) -> str:
    """`attachment` with an ASCII fallback and the RFC 5987 UTF-8 name (RFC 6266 §4.3)."""
    ext = name.rsplit(".", 1)[-1] if "." in name else ""
    fallback = "".join(ch for ch in name if 32 <= ord(ch) < 127 and ch not in '"\\%')
    if not fallback.strip(" ._-") or fallback.strip(" ._-") == ext:
        fallback = "attachment" + (f".{ext}" if ext else "")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


@login_required
@require_GET
@never_cache
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    lead = get_lead_for_user(request.user, pk)
    attachment = attachments.attachment_of(lead, attachment_pk, content=True)
    attachments.attachment_record_read(
        lead=lead, attachment=attachment, actor=request.user, request=request
    )
    response = HttpResponse(
        bytes(attachment.content),
        content_type=attachments.safe_content_type(attachment.content_type),
    )
    response["Content-Disposition"] = _content_disposition(attachment.name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
    # Should a browser render it anyway: no scripts, no subresources, an opaque origin.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
@never_cache
def attachment_remove(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    """GET: the confirmation page (works without JavaScript); POST: remove, with a reason."""
    lead = get_lead_for_user(request.user, pk)
    attachment = attachments.attachment_of(lead, attachment_pk)
    if not can_remove_lead_attachment(request.user, lead, attachment):
        raise PermissionDenied
    form = forms.AttachmentRemoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            attachments.attachment_remove(
                attachment=attachment,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except LeadError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("已删除附件：%(name)s") % {"name": attachment.name})
        return redirect(reverse("leads:detail", args=[lead.pk]) + "#attachments")
    return render(
        request,
        "leads/attachment_remove.html",
        {"lead": lead, "attachment": attachment, "form": form},
        status=422 if request.method == "POST" else 200,
    )


# --- handler conflicts: the hint shown while the assign form is filled in (htmx) ------------
