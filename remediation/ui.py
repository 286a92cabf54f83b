"""Navigation, home panels, and the sections remediation adds to the pages of leads and
self-check reports (registered from RemediationConfig.ready into leads.ui.LEAD_PAGE_SECTIONS
and selfcheck.ui.REPORT_PAGE_SECTIONS)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rectify import access
from rectify.ui import NavItem, PageSection, Panel, PanelLine

from .access import (
    ITEM_READER_ROLES,
    MATTER_READER_ROLES,
    OUTPUT_READER_ROLES,
    PUBLIC_MANAGER_ROLES,
    PUBLIC_READER_ROLES,
    can_generate_from_lead,
    can_generate_from_report,
    items_visible_to,
)
from .models import ItemStatus
from .selectors import items as item_selectors
from .selectors.ledger import has_remediation_work, my_items, overdue_q

if TYPE_CHECKING:
    # leads.Lead and selfcheck.SelfCheckReport: remediation reaches those apps only
    # through their ports, so the type names are aliases, not imports.
    from django.db.models import Model as Lead
    from django.db.models import Model as SelfCheckReport

    from rectify.models import AnyUser


def nav_items(user: AnyUser) -> list[NavItem]:
    """One entry in the top bar; the parts of remediation are its section links
    (`section_links`, drawn on each list page by `{% remediation_sections %}`), so the bar
    stays one line at 1366 px."""
    if access.has_role(user, *ITEM_READER_ROLES):
        return [NavItem(_("专项整治"), reverse("remediation:ledger"), order=30)]
    if getattr(user, "is_authenticated", False) and has_remediation_work(user):
        return [NavItem(_("专项整治"), reverse("remediation:my_items"), order=30)]
    return []


def section_links(user: AnyUser) -> list[NavItem]:
    """The pages of remediation the user may open: items and plans (R1–R6), rules,
    rotations and meetings (R7, R8, O3), commitments, acceptance results, practical matters
    and typical cases (O4–O6)."""
    links = []
    if access.has_role(user, *ITEM_READER_ROLES):
        links += [
            NavItem(_("问题台账"), reverse("remediation:ledger"), order=1),
            NavItem(_("整治方案"), reverse("remediation:plan_list"), order=2),
        ]
    if getattr(user, "is_authenticated", False) and has_remediation_work(user):
        links.append(NavItem(_("我的整改"), reverse("remediation:my_items"), order=3))
    if access.has_role(user, *OUTPUT_READER_ROLES):
        links += [
            NavItem(_("制度规范"), reverse("remediation:rule_list"), order=4),
            NavItem(_("交流轮岗"), reverse("remediation:rotation_list"), order=5),
            NavItem(_("会商记录"), reverse("remediation:meeting_list"), order=6),
        ]
    if access.has_role(user, *PUBLIC_MANAGER_ROLES):
        links.append(NavItem(_("整治承诺"), reverse("remediation:commitments"), order=7))
    if access.has_role(user, *PUBLIC_READER_ROLES):
        links.append(NavItem(_("群众验收"), reverse("remediation:survey_results"), order=8))
    if access.has_role(user, *MATTER_READER_ROLES):
        links.append(NavItem(_("办实事"), reverse("remediation:matters"), order=9))
    if access.has_role(user, *PUBLIC_READER_ROLES):
        links.append(NavItem(_("典型案例"), reverse("remediation:cases"), order=10))
    return links


def home_panels(user: AnyUser) -> list[Panel]:
    panels = []
    today = timezone.localdate()
    if access.has_role(user, *ITEM_READER_ROLES):
        row = items_visible_to(user).aggregate(
            open=Count("id", filter=Q(status=ItemStatus.OPEN)),
            in_progress=Count("id", filter=Q(status=ItemStatus.IN_PROGRESS)),
            rectified=Count("id", filter=Q(status=ItemStatus.RECTIFIED)),
            overdue=Count("id", filter=overdue_q(today)),
        )
        ledger = reverse("remediation:ledger")
        panels.append(
            Panel(
                _("专项整治"),
                [
                    PanelLine(_("待整改"), row["open"], f"{ledger}?status=open"),
                    PanelLine(_("整改中"), row["in_progress"], f"{ledger}?status=in_progress"),
                    PanelLine(
                        _("待验收"),
                        row["rectified"],
                        f"{ledger}?status=rectified",
                        "warn" if row["rectified"] else "ok",
                    ),
                    PanelLine(
                        _("逾期"),
                        row["overdue"],
                        f"{ledger}?overdue=on",
                        "danger" if row["overdue"] else "ok",
                    ),
                    PanelLine(_("整治方案"), "", reverse("remediation:plan_list")),
                ],
                order=30,
            )
        )
    if getattr(user, "is_authenticated", False):
        row = my_items(user).aggregate(
            open=Count("id", filter=~Q(status=ItemStatus.ACCEPTED)),
            overdue=Count("id", filter=overdue_q(today)),
        )
        if row["open"] or row["overdue"]:
            mine = reverse("remediation:my_items")
            panels.append(
                Panel(
                    _("我的整改任务"),
                    [
                        PanelLine(_("未验收的问题"), row["open"], mine),
                        PanelLine(
                            _("逾期"), row["overdue"], mine, "danger" if row["overdue"] else "ok"
                        ),
                    ],
                    order=31,
                )
            )
    return panels


def lead_section(user: AnyUser, lead: Lead) -> PageSection | None:
    """The lead page's 整改问题 section: the items of the lead the user may see, and the
    生成整改问题 link for who may make one."""
    items = list(item_selectors.items_from_lead(user, lead))
    can_generate = can_generate_from_lead(user, lead)
    if not items and not can_generate:
        return None
    return PageSection(
        template="remediation/partials/_lead_items.html",
        context={
            "items": items,
            "generate_url": reverse("remediation:item_from_lead", args=[lead.pk])
            if can_generate
            else "",
        },
        order=50,
    )


def report_section(user: AnyUser, report: SelfCheckReport) -> PageSection | None:
    """The report page's section: each declared problem with 生成整改问题 for reviewers,
    and the items of the report the user may see."""
    items = list(item_selectors.items_from_report(user, report))
    can_generate = can_generate_from_report(user, report)
    declared = item_selectors.declared_answers(report) if can_generate else []
    if not items and not declared:
        return None
    rows = [
        {
            "label": answer.label,
            "url": reverse("remediation:item_from_report", args=[report.pk, answer.key]),
        }
        for answer in declared
    ]
    return PageSection(
        template="remediation/partials/_report_items.html",
        context={"items": items, "declared": rows},
        order=50,
    )
