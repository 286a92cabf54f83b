"""The leaders' dashboard (领导驾驶舱, O7 and O2) and the campaign's thresholds page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from rectify import figures
from rectify.access import has_role, role_required

from ..access import DASHBOARD_ROLES, can_edit_policy
from ..forms.policy import PolicyForm
from ..models import CampaignPolicy
from ..selectors import dashboard as sel
from ..services.policy import policy_save

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

    from rectify.models import Unit


@role_required(*DASHBOARD_ROLES)
def dashboard(request: HttpRequest) -> HttpResponse:
    """The dashboard of the user's jurisdiction: the first of their scope roots (a switcher
    lists the others)."""
    roots = sel.dashboard_roots(request.user)
    return _render(request, roots[0], roots)


@role_required(*DASHBOARD_ROLES)
def unit_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    unit = sel.get_dashboard_unit(request.user, pk)
    # The table partial (sorting, drill-down) draws no switcher and no breadcrumb.
    roots = [] if _table_only(request) else sel.dashboard_roots(request.user)
    return _render(request, unit, roots)


def _table_only(request: HttpRequest) -> bool:
    return bool(request.htmx and request.htmx.target == "dash-table")


def _render(request: HttpRequest, unit: Unit, roots: list[Unit]) -> HttpResponse:
    campaign = sel.dashboard_campaign()
    sort, desc = sel.parse_sort(request.GET.get("sort"))
    ctx: dict = {
        "unit": unit,
        "roots": roots,
        "crumbs": [] if _table_only(request) else sel.breadcrumb(request.user, unit),
        "campaign": campaign,
        "sort": sort,
        "desc": desc,
        "columns": sel.COLUMNS,
        "groups": sel.GROUPS,
        "can_edit_policy": can_edit_policy(request.user),
    }
    if campaign is None:
        return render(request, "leadership/dashboard/page.html", ctx)
    level = sel.level_for(request.user, campaign, unit, sort=sort, desc=desc)
    ctx["level"] = level
    if _table_only(request):
        return render(request, "leadership/dashboard/partials/_table.html", ctx)
    today = timezone.localdate()
    rank_by = request.GET.get("rank", "")
    ctx.update(
        {
            "ranking": sel.ranking_for(campaign, level, by=rank_by, today=today)
            if level.rows
            else None,
            "rank_choices": list(sel.RANK_CHOICES.items()),
            "charts": sel.trend_charts(campaign, unit, today=today, hidden=level.hidden_total)
            + sel.family_charts(campaign, level.total.levers),
            "responsibility": sel.responsibility_for(request.user, level),
        }
    )
    return render(request, "leadership/dashboard/page.html", ctx)


@login_required
def policy_edit(request: HttpRequest) -> HttpResponse:
    """督导设置: the current campaign's traffic-light thresholds and report period."""
    if not can_edit_policy(request.user):
        raise PermissionDenied
    campaign = figures.current_campaign()
    if campaign is None:
        messages.error(request, _("当前没有教育整顿活动，无法设置。"))
        return redirect("home")
    policy = CampaignPolicy.for_campaign(campaign)
    form = PolicyForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        policy_save(policy=form.instance, actor=request.user)
        messages.success(request, _("督导设置已保存。"))
        return redirect("leadership:policy")
    ctx = {
        "form": form,
        "campaign": campaign,
        "can_open_dashboard": has_role(request.user, *DASHBOARD_ROLES),
    }
    return render(request, "leadership/dashboard/policy.html", ctx)
