from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import otp
from .access import audit_events_visible_to, get_unit_for_user, officers_visible_to, role_required
from .audit_display import audit_rows
from .excel import ExcelError
from .forms import (
    OFFICER_SCOPES,
    PICKER_LIMIT,
    AuditFilterForm,
    OfficerFilterForm,
    OfficerPickerWidget,
    OrgImportForm,
    OtpCodeForm,
    officer_search,
)
from .health import broker_status, database_status
from .importers import import_org
from .models import Role
from .pagination import keyset_page
from .params import id_param
from .selectors import officer_for_user, unit_children_of, unit_tree_for
from .ui import collect_panels

if TYPE_CHECKING:
    from django.forms import ModelForm


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "rectify/home.html",
        {"panels": collect_panels(request.user), "officer": officer_for_user(request.user)},
    )


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Database and broker status for the load balancer (no secrets, no login)."""

    status = {"database": database_status(), "broker": broker_status()}
    healthy = all(v in ("ok", "eager") for v in status.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **status}, status=200 if healthy else 503
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    """Also clears the first-login flag set on imported accounts."""

    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form: ModelForm) -> HttpResponse:
        response = super().form_valid(form)
        user = form.user
        if user.must_change_password:
            user.must_change_password = False
            user.save(update_fields=["must_change_password"])
        messages.success(self.request, _("密码已修改。"))
        return response


# --- second factor ------------------------------------------------------------------


def _next_url(request: HttpRequest) -> str:
    """The page the user was on before the second-factor step (same host only)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return str(reverse_lazy("home"))


@never_cache
@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    """Second login step: a code from the authenticator app, or a recovery code."""
    if otp.otp_is_verified(request.user):
        return redirect(_next_url(request))
    if not otp.otp_has_device(request.user):
        return redirect("otp_enrol")
    form = OtpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            method = otp.otp_verify(
                user=request.user, code=form.cleaned_data["code"], request=request
            )
        except otp.OtpError as exc:
            form.add_error("code", exc.message)
        else:
            if method == "recovery":
                messages.warning(
                    request, _("已使用一个恢复码（每个只能用一次）。可在“两步验证”页重新生成。")
                )
            return redirect(_next_url(request))
    return render(
        request,
        "rectify/account_otp_verify.html",
        {"form": form, "next": _next_url(request)},
        status=422 if form.errors else 200,
    )


@never_cache
@login_required
def otp_enrol(request: HttpRequest) -> HttpResponse:
    """Enrolment: scan the QR code (drawn on the server), confirm with a first code, then
    see the recovery codes once."""
    try:
        device = otp.otp_pending_device(user=request.user)
    except otp.OtpError as exc:
        messages.info(request, exc.message)
        return redirect("account_security" if otp.otp_is_verified(request.user) else "otp_verify")
    form = OtpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = otp.otp_enrol_confirm(
                user=request.user, code=form.cleaned_data["code"], request=request
            )
        except otp.OtpError as exc:
            form.add_error("code", exc.message)
        else:
            # Rendered, not redirected: the codes are shown this once and stored nowhere else.
            return render(
                request,
                "rectify/account_otp_codes.html",
                {"codes": codes, "next": _next_url(request), "first_time": True},
            )
    return render(
        request,
        "rectify/account_otp_enrol.html",
        {
            "form": form,
            "qr_svg": otp.otp_qr_svg(device),
            "secret": otp.otp_secret_text(device),
            "next": _next_url(request),
        },
        status=422 if form.errors else 200,
    )


@never_cache
@login_required
def account_security(request: HttpRequest) -> HttpResponse:
    """Second-factor status; new recovery codes against a current code from the app."""
    form = OtpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            # A fresh code proves the phone is at hand, even in a session verified earlier.
            otp.otp_verify(user=request.user, code=form.cleaned_data["code"], request=request)
            codes = otp.otp_recovery_regenerate(user=request.user, request=request)
        except otp.OtpError as exc:
            form.add_error("code", exc.message)
        else:
            return render(
                request,
                "rectify/account_otp_codes.html",
                {"codes": codes, "next": str(reverse_lazy("account_security"))},
            )
    return render(
        request,
        "rectify/account_security.html",
        {
            "form": form,
            "status": otp.otp_status_of(request.user),
            "required": otp.otp_required_roles_held(request.user),
        },
        status=422 if form.errors else 200,
    )


TREE_ROLES = (Role.ADMIN, Role.LEADER, Role.OFFICE, Role.UNIT_HEAD)


@role_required(*TREE_ROLES)
def unit_tree(request: HttpRequest) -> HttpResponse:
    """The top of the user's scope. Deeper levels load on demand (htmx) to stay light;
    without JavaScript each "+" is a link (`?open=<id>`) that reopens the page with that
    branch expanded."""
    open_pk = id_param(request.GET, "open")  # garbage is ignored
    roots = unit_tree_for(user=request.user, roles=TREE_ROLES, open_pk=open_pk)
    return render(request, "rectify/unit_tree.html", {"roots": roots})


@role_required(*TREE_ROLES)
def unit_children(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_unit_for_user(request.user, pk)
    children = unit_children_of(unit)
    return render(
        request, "rectify/partials/_unit_children.html", {"unit": unit, "children": children}
    )


@login_required
@require_GET
def officer_pick(request: HttpRequest) -> HttpResponse:
    """The officer picker's htmx endpoint (rectify.forms.OfficerPickerWidget). `?<field>=text`
    lists at most PICKER_LIMIT matches of the named scope, the same function the form
    validates with; `?pick=<id>` returns the picker with that officer chosen. Officers out of
    scope are never listed, and a pick of one answers 404 like a missing one."""

    scope = request.GET.get("scope", "")
    field = request.GET.get("field", "")
    wid = request.GET.get("wid", "")
    required = request.GET.get("required") == "1"
    if scope not in OFFICER_SCOPES or not (_PICKER_NAME.match(field) and _PICKER_NAME.match(wid)):
        return HttpResponseBadRequest(_("参数有误"))
    if request.GET.get("pick", ""):
        pick = id_param(request.GET, "pick")
        if pick is None:
            return HttpResponseBadRequest(_("参数有误"))
        officer = get_object_or_404(
            OFFICER_SCOPES[scope](request.user).select_related("unit"), pk=pick
        )
        widget = OfficerPickerWidget(scope=scope)
        attrs = {"id": wid, "required": True} if required else {"id": wid}
        response = HttpResponse(widget.render(field, officer, attrs=attrs))
        # Lets a form react to the pick as to a typed change (e.g. the conflict hint).
        response["HX-Trigger-After-Settle"] = json.dumps({"officer-picked": {"target": f"#{wid}"}})
        return response
    text = request.GET.get(field, "")
    officers = officer_search(user=request.user, scope=scope, text=text, limit=PICKER_LIMIT + 1)
    params = {"scope": scope, "field": field, "wid": wid, "required": "1" if required else ""}
    return render(
        request,
        "rectify/partials/_officer_picker_results.html",
        {
            "officers": officers[:PICKER_LIMIT],
            "more": len(officers) > PICKER_LIMIT,
            "limit": PICKER_LIMIT,
            "text": text.strip(),
            "field": field,
            "wid": wid,
            "pick_url": reverse("rectify:officer_pick") + "?" + urlencode(params),
        },
    )


_PICKER_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,60}$")


@role_required(Role.ADMIN)
def officer_list(request: HttpRequest) -> HttpResponse:
    """Officers in scope, searchable by name or number, filterable by unit and cadre flag."""

    form = OfficerFilterForm(request.GET or None)
    qs = officers_visible_to(request.user)
    if form.is_valid():
        qs = form.apply(qs)
    page = keyset_page(qs, ordering=("number",), cursor=request.GET.get("after"))
    return render(request, "rectify/officer_list.html", {"form": form, "page": page})


@role_required(Role.ADMIN)
def audit_list(request: HttpRequest) -> HttpResponse:

    form = AuditFilterForm(request.GET or None)
    qs = audit_events_visible_to(request.user)
    if form.is_valid():
        qs = form.apply(qs)
    page = keyset_page(qs, ordering=("-id",), cursor=request.GET.get("after"), size=100)
    rows = audit_rows(events=page.items, user=request.user)
    return render(request, "rectify/audit_list.html", {"form": form, "page": page, "rows": rows})


@role_required(Role.ADMIN)
def org_import(request: HttpRequest) -> HttpResponse:
    """Upload the organisation workbook; show counts or every row error. All or nothing."""

    result = None
    form = OrgImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = import_org(
                upload=data["file"],
                actor=request.user,
                dry_run=data["dry_run"],
                create_accounts=data["create_accounts"],
                initial_password=data["initial_password"],
            )
        except ExcelError as exc:
            form.add_error("file", str(exc))
        else:
            if result.ok and not result.dry_run:
                messages.success(request, _("导入完成。"))
    status = 422 if (result and result.errors) or form.errors else 200
    return render(
        request, "rectify/org_import.html", {"form": form, "result": result}, status=status
    )
