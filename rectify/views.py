from __future__ import annotations

import json
import re

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .access import get_unit_for_user, role_required, units_visible_to
from .models import Role, Unit
from .selectors import officer_for_user
from .ui import collect_panels


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
    from .health import broker_status, database_status

    status = {"database": database_status(), "broker": broker_status()}
    healthy = all(v in ("ok", "eager") for v in status.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **status}, status=200 if healthy else 503
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    """Also clears the first-login flag set on imported accounts."""

    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("home")

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.user
        if user.must_change_password:
            user.must_change_password = False
            user.save(update_fields=["must_change_password"])
        messages.success(self.request, _("密码已修改。"))
        return response


TREE_ROLES = (Role.ADMIN, Role.LEADER, Role.OFFICE, Role.UNIT_HEAD)


@role_required(*TREE_ROLES)
def unit_tree(request: HttpRequest) -> HttpResponse:
    """The top of the user's scope; deeper levels load on demand (htmx) to stay light."""
    visible = units_visible_to(request.user, TREE_ROLES)
    min_depth = visible.order_by("depth").values_list("depth", flat=True).first()
    roots = list(visible.filter(depth=min_depth).order_by("path")) if min_depth else []
    return render(request, "rectify/unit_tree.html", {"roots": roots})


@role_required(*TREE_ROLES)
def unit_children(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_unit_for_user(request.user, pk)
    children = list(
        Unit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1).order_by("path")
    )
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
    from urllib.parse import urlencode

    from .forms import OFFICER_SCOPES, PICKER_LIMIT, OfficerPickerWidget, officer_search

    scope = request.GET.get("scope", "")
    field = request.GET.get("field", "")
    wid = request.GET.get("wid", "")
    required = request.GET.get("required") == "1"
    if scope not in OFFICER_SCOPES or not (_PICKER_NAME.match(field) and _PICKER_NAME.match(wid)):
        return HttpResponseBadRequest(_("参数有误"))
    pick = request.GET.get("pick", "")
    if pick:
        if not pick.isdigit():
            return HttpResponseBadRequest(_("参数有误"))
        officer = get_object_or_404(
            OFFICER_SCOPES[scope](request.user).select_related("unit"), pk=int(pick)
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
    from .access import officers_visible_to
    from .forms import OfficerFilterForm
    from .pagination import keyset_page

    form = OfficerFilterForm(request.GET or None)
    qs = officers_visible_to(request.user)
    if form.is_valid():
        qs = form.apply(qs)
    page = keyset_page(qs, ordering=("number",), cursor=request.GET.get("after"))
    return render(request, "rectify/officer_list.html", {"form": form, "page": page})


@role_required(Role.ADMIN)
def audit_list(request: HttpRequest) -> HttpResponse:
    from .access import audit_events_visible_to
    from .forms import AuditFilterForm
    from .pagination import keyset_page

    form = AuditFilterForm(request.GET or None)
    qs = audit_events_visible_to(request.user)
    if form.is_valid():
        qs = form.apply(qs)
    page = keyset_page(qs, ordering=("-id",), cursor=request.GET.get("after"), size=100)
    return render(request, "rectify/audit_list.html", {"form": form, "page": page})


@role_required(Role.ADMIN)
def org_import(request: HttpRequest) -> HttpResponse:
    """Upload the organisation workbook; show counts or every row error. All or nothing."""
    from .excel import ExcelError
    from .forms import OrgImportForm
    from .importers import import_org

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
