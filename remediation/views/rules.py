"""Rules produced by remediation (制度规范, R7): list, page, create, edit, issue, repeal,
and the audited download of the rule's document."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rectify import access
from rectify.pagination import keyset_page

from .. import audit
from ..access import (
    OUTPUT_READER_ROLES,
    RULE_MANAGER_ROLES,
    can_manage_rule,
    get_rule_for_user,
)
from ..forms.outputs import RuleForm
from ..models import RuleStatus
from ..selectors import outputs as selectors
from ..services import rules as services
from ..services.documents import DocumentError, document_record_download
from .downloads import document_response


@access.role_required(*OUTPUT_READER_ROLES)
def rule_list(request: HttpRequest) -> HttpResponse:
    rules = selectors.rule_list(request.user, request.GET)
    page = keyset_page(
        selectors.with_rule_relations(rules),
        ordering=("-created_at", "-id"),
        cursor=request.GET.get("after"),
        size=30,
    )
    unit = selectors.chosen_unit(request.user, request.GET)
    counts = selectors.subtree_counts(request.user, rules, unit=unit, path_field="unit__path")
    audit.audit_read(
        actor=request.user,
        action=audit.RULE_LIST_READ,
        object_type="remediation.rule",
        data={"ids": [r.pk for r in page.items], "filters": request.GET.dict()},
        request=request,
    )
    return render(
        request,
        "remediation/rules/list.html",
        {
            "page": page,
            "counts": counts,
            "statuses": RuleStatus.choices,
            "units": selectors.filter_units(request.user),
            "params": request.GET,
            "can_create": access.has_role(request.user, *RULE_MANAGER_ROLES),
        },
    )


@login_required
def rule_detail(request: HttpRequest, pk: int) -> HttpResponse:
    rule = get_rule_for_user(request.user, pk)
    audit.audit_read(actor=request.user, action=audit.RULE_READ, target=rule, request=request)
    manage = can_manage_rule(request.user, rule)
    return render(
        request,
        "remediation/rules/detail.html",
        {
            "rule": rule,
            "items": selectors.rule_items(request.user, rule),
            "item_total": rule.items.count(),
            "revisions": list(rule.revisions.order_by("-created_at")),
            "can_edit": manage,
            "can_issue": manage and rule.status == RuleStatus.DRAFT,
            "can_repeal": manage and rule.status == RuleStatus.ISSUED,
        },
    )


def _form_page(request: HttpRequest, form: RuleForm, rule: object = None) -> HttpResponse:
    return render(request, "remediation/rules/form.html", {"form": form, "rule": rule})


@access.role_required(*RULE_MANAGER_ROLES)
def rule_create(request: HttpRequest) -> HttpResponse:
    form = RuleForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rule = services.rule_create(
                actor=request.user,
                unit=data["unit"],
                title=data["title"],
                issued_on=data["issued_on"],
                summary=data["summary"],
                items=data["item_numbers"],
                revises=data["revises"],
                upload=data["document"],
                issue=bool(request.POST.get("issue")),
                request=request,
            )
        except (services.RuleError, DocumentError) as exc:
            form.add_error("document" if isinstance(exc, DocumentError) else None, str(exc))
        else:
            messages.success(request, _("制度规范已保存"))
            return redirect("remediation:rule_detail", rule.pk)
    return _form_page(request, form)


@login_required
def rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rule = get_rule_for_user(request.user, pk)
    if not can_manage_rule(request.user, rule):
        raise PermissionDenied
    initial = {
        "title": rule.title,
        "unit": rule.unit_id,
        "issued_on": rule.issued_on,
        "summary": rule.summary,
        "revises": rule.revises_id or "",
        "item_numbers": "，".join(i.number for i in selectors.rule_items(request.user, rule)),
    }
    form = RuleForm(
        request.POST or None, request.FILES or None, user=request.user, initial=initial, rule=rule
    )
    if request.method == "POST" and form.is_valid():
        data = {**initial, "revises": rule.revises, "document": None, **form.cleaned_data}
        try:
            services.rule_update(
                rule=rule,
                actor=request.user,
                title=data["title"],
                issued_on=data["issued_on"],
                summary=data["summary"],
                items=selectors.keep_hidden_items(request.user, rule, data["item_numbers"]),
                revises=data["revises"],
                upload=data["document"],
                request=request,
            )
        except (services.RuleError, DocumentError) as exc:
            form.add_error("document" if isinstance(exc, DocumentError) else None, str(exc))
        else:
            messages.success(request, _("制度规范已保存"))
            return redirect("remediation:rule_detail", rule.pk)
    return _form_page(request, form, rule)


@login_required
@require_POST
def rule_issue(request: HttpRequest, pk: int) -> HttpResponse:
    rule = get_rule_for_user(request.user, pk)
    if not can_manage_rule(request.user, rule):
        raise PermissionDenied
    try:
        services.rule_issue(rule=rule, actor=request.user, request=request)
    except services.RuleError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("制度已印发"))
    return redirect("remediation:rule_detail", rule.pk)


@login_required
@require_POST
def rule_repeal(request: HttpRequest, pk: int) -> HttpResponse:
    rule = get_rule_for_user(request.user, pk)
    if not can_manage_rule(request.user, rule):
        raise PermissionDenied
    try:
        services.rule_repeal(rule=rule, actor=request.user, request=request)
    except services.RuleError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("制度已废止"))
    return redirect("remediation:rule_detail", rule.pk)


@login_required
def rule_document(request: HttpRequest, pk: int) -> HttpResponse:
    rule = get_rule_for_user(request.user, pk)
    document = selectors.rule_document(rule)
    if document is None:
        raise Http404
    document_record_download(document=document, owner=rule, actor=request.user, request=request)
    return document_response(document)
