"""Navigation entries and home panels of the self-check app (a few cheap queries)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from rectify import access
from rectify.models import Campaign, Role
from rectify.selectors import officer_for_user
from rectify.ui import NavItem, PageSection, Panel, PanelLine, SectionProvider, collect_sections

from . import access as rules
from .models import CaseStatus, Notice, ReportStatus, SelfCheckReport
from .selectors import unit_figures

# Sections other apps add to a self-check report's page (remediation: 生成整改问题).
REPORT_PAGE_SECTIONS: list[SectionProvider] = []


COUNT_BOUND = 1000


def bounded_count(qs: QuerySet, bound: int = COUNT_BOUND) -> str:
    """The number of rows, exact up to `bound` and shown as "1000+" beyond (a lower bound,
    never a wrong figure): COUNT over at most `bound` rows whatever the table's size."""
    n = qs[: bound + 1].count()
    return f"{bound}+" if n > bound else str(n)


def report_page_sections(
    user: AbstractBaseUser | AnonymousUser, report: SelfCheckReport
) -> list[PageSection]:
    return collect_sections(REPORT_PAGE_SECTIONS, user, report)


def nav_items(user: AbstractBaseUser | AnonymousUser) -> list[NavItem]:
    items = []
    if officer_for_user(user) is not None:
        items.append(NavItem(_("我的自查"), reverse("selfcheck:my_report"), order=10))
    if access.has_role(user, Role.REVIEWER):
        items.append(NavItem(_("自查审核"), reverse("selfcheck:queue"), order=11))
    if access.has_role(user, *rules.SELFCHECK_FIGURES):
        items.append(NavItem(_("自查统计"), reverse("selfcheck:figures"), order=12))
    if access.has_role(user, *rules.SELFCHECK_TALK_KEEPERS):
        items.append(NavItem(_("谈心谈话"), reverse("selfcheck:talks"), order=13))
    if access.has_role(user, *rules.SELFCHECK_QUESTION_ANSWERERS):
        items.append(NavItem(_("政策咨询"), reverse("selfcheck:questions"), order=13))
    items.append(NavItem(_("警示教育"), reverse("selfcheck:cases"), order=14))
    if access.has_role(user, Role.OFFICE):
        items.append(NavItem(_("“N”项配置"), reverse("selfcheck:items"), order=15))
    return items


def home_panels(user: AbstractBaseUser | AnonymousUser) -> list[Panel]:
    campaign = Campaign.current()
    if campaign is None:
        return []
    panels = []
    officer = officer_for_user(user)
    if officer is not None:
        report = SelfCheckReport.objects.filter(campaign=campaign, officer=officer).first()
        deadline = campaign.deadline_for(officer)
        status = report.get_status_display() if report else _("未填报")
        tone = "ok"
        if report is None or report.status in (ReportStatus.DRAFT, ReportStatus.RETURNED):
            tone = "danger" if timezone.localdate() > deadline else "warn"
        lines = [
            PanelLine(_("我的自查事项报告"), status, reverse("selfcheck:my_report"), tone),
            PanelLine(
                _("我的截止日期（领导干部提前）")
                if officer.is_leading_cadre
                else _("我的截止日期"),
                deadline.isoformat(),
            ),
        ]
        if report is not None and report.status == ReportStatus.RETURNED:
            # One line of text, not label + value: beside a long value the two-column
            # panel row squeezed the label to one character per line on a phone.
            lines.append(
                PanelLine(
                    _("退回原因：%(r)s") % {"r": Truncator(report.return_reason).chars(60)},
                    "",
                    reverse("selfcheck:my_report") + "#return-reason",
                )
            )
        unread = Notice.objects.filter(user=user, read_at__isnull=True).count()
        if unread:
            lines.append(PanelLine(_("未读通知"), unread, reverse("selfcheck:notices"), "warn"))
        panels.append(Panel(_("自查自纠"), lines, order=10, note=_("自查从宽、被查从严")))
    if access.has_role(user, Role.REVIEWER):
        # The reports to review (the subtree by its path, never the own report), counted up
        # to a bound: a province-wide reviewer's panel must not count 150,000 rows per visit.
        waiting = bounded_count(
            rules.reports_to_review(user).filter(campaign=campaign, status=ReportStatus.SUBMITTED)
        )
        url = reverse("selfcheck:queue")
        panels.append(
            Panel(
                _("自查审核"),
                [
                    PanelLine(
                        _("待审核"),
                        waiting,
                        f"{url}?status=submitted",
                        "warn" if waiting != "0" else "ok",
                    ),
                    PanelLine(_("审核队列"), "", url),
                    PanelLine(
                        _("待答复咨询"),
                        rules.selfcheck_questions_visible_to(user)
                        .filter(answered_at__isnull=True, report__campaign=campaign)
                        .exclude(report__officer__user=user)
                        .count(),
                        reverse("selfcheck:questions"),
                    ),
                    PanelLine(_("完成情况统计"), "", reverse("selfcheck:figures")),
                ],
                order=11,
            )
        )
    if access.has_role(user, Role.LEADER, Role.OFFICE, Role.UNIT_HEAD) and not access.has_role(
        user, Role.REVIEWER
    ):
        roots = access.scope_paths(user, rules.SELFCHECK_FIGURES)
        unit = rules.selfcheck_units_for_figures(user).filter(path__in=roots[:1]).first()
        if unit is not None:
            fig = unit_figures(unit=unit, campaign=campaign)
            lines = [
                PanelLine(
                    _("领导干部完成"),
                    f"{fig.cadre_submitted}/{fig.cadre_required}（{fig.cadre_completion}%）",
                    reverse("selfcheck:figures"),
                ),
                PanelLine(
                    _("全体干警完成"),
                    f"{fig.submitted}/{fig.required}（{fig.completion}%）",
                    reverse("selfcheck:figures"),
                ),
                PanelLine(_("逾期"), fig.late, "", "danger" if fig.late else "ok"),
            ]
            if access.has_role(user, Role.LEADER):
                pending = (
                    rules.warning_cases_visible_to(user).filter(status=CaseStatus.PENDING).count()
                )
                if pending:
                    lines.append(
                        PanelLine(_("待审批警示案例"), pending, reverse("selfcheck:cases"), "warn")
                    )
            panels.append(Panel(_("自查完成情况 · %(u)s") % {"u": unit.name}, lines, order=12))
    return panels
