"""The self-check pages in `bench pages` (#14): the officer's form (open and autosave), the
reviewer's queue (first page, a deep page, filters, a search), and the completion figures of
the office at the root; each list beside a comparable admin changelist."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.admin import AdminSite
from django.urls import reverse

from rectify.benchpages import Scenario, admin_page, deep_cursor
from rectify.models import ChronicProblem

from ..forms.draft import form_items
from ..models import ReportStatus, SelfCheckReport
from .province import ROOT_REVIEWER

if TYPE_CHECKING:
    from rectify.province import Province

ADMIN = "/bench-admin/selfcheck/selfcheckreport/"
QUEUE_ORDERING = ("-status", "-officer__is_leading_cadre", "-id")


class SelfCheckReportAdmin(admin.ModelAdmin):
    list_display = ("officer", "status", "last_submitted_at", "first_in_window", "reviewed_at")
    list_filter = ("status", "officer__is_leading_cadre", "first_in_window")
    search_fields = ("officer__name", "=officer__number")

    def lookup_allowed(self, lookup: str, value: str, request: object = None) -> bool:
        # The reviewer's scope, as the queue applies it (a unit subtree).
        return lookup == "officer__unit__path__startswith" or super().lookup_allowed(
            lookup, value, request
        )


def register_admin(site: AdminSite) -> None:
    if not site.is_registered(SelfCheckReport):
        site.register(SelfCheckReport, SelfCheckReportAdmin)


def _autosave_data(p: Province) -> dict:
    """The form's POST as the page's autosave sends it: every item answered "no"."""
    officer = p.officer_of("officer")
    data: dict[str, str] = {}
    for item in form_items(officer=officer, campaign=p.campaign):
        data[f"item-{item.key}-yes"] = "no"
        data[f"item-{item.key}-details"] = ""
        data[f"item-{item.key}-date"] = ""
    data["biz-0-relation"] = ""
    data["lend-0-counterparty"] = ""
    return data


def scenarios(p: Province) -> list[Scenario]:
    district = p.district.path
    scope = SelfCheckReport.objects.filter(
        campaign=p.campaign, officer__unit__path__startswith=district
    ).exclude(officer__user__username=p.username("reviewer"))
    rows = scope.count()
    pages = max(1, min(20, rows // 50 - 1))  # 20 pages in, or the last page of a small set
    after = deep_cursor(scope, QUEUE_ORDERING, pages=pages)
    queue = reverse("selfcheck:queue")
    whole = SelfCheckReport.objects.filter(
        campaign=p.campaign, officer__unit__path__startswith=p.root.path
    )
    root_rows = whole.count()
    root_after = deep_cursor(whole, QUEUE_ORDERING, pages=20)
    root_scoped = f"{ADMIN}?{urlencode({'officer__unit__path__startswith': p.root.path})}"
    scoped = f"{ADMIN}?{urlencode({'officer__unit__path__startswith': district})}"
    filtered = {"status": ReportStatus.SUBMITTED, "yes_item": ChronicProblem.BUSINESS.value}
    surname = p.officer_of("officer").name[0]
    return [
        Scenario(
            "selfcheck.form.officer",
            "自查事项报告表 打开（干警）",
            "officer",
            reverse("selfcheck:my_report"),
            kind="form",
            wrk=True,
        ),
        Scenario(
            "selfcheck.form.autosave",
            "自查事项报告表 自动保存（干警）",
            "officer",
            reverse("selfcheck:my_report_autosave"),
            method="post",
            data=_autosave_data(p),
            headers={"HX-Request": "true"},
            kind="action",
        ),
        Scenario(
            "selfcheck.queue.first",
            "自查审核 第一页（区县审核员）",
            "reviewer",
            queue,
            admin_path=scoped,
        ),
        Scenario(
            "selfcheck.queue.deep",
            f"自查审核 第{pages + 1}页（区县审核员）",
            "reviewer",
            f"{queue}?{urlencode({'after': after})}",
            admin_path=f"{scoped}&p={admin_page(rows, pages=pages)}",
            deep_of="selfcheck.queue.first",
        ),
        Scenario(
            "selfcheck.queue.filtered",
            "自查审核 待审核且第2项申报“是”",
            "reviewer",
            f"{queue}?{urlencode(filtered)}",
            admin_path=f"{scoped}&status__exact={ReportStatus.SUBMITTED}",
        ),
        Scenario(
            "selfcheck.queue.late_cadres",
            "自查审核 逾期的领导干部",
            "reviewer",
            f"{queue}?{urlencode({'cadre': '1', 'late': 'on'})}",
            admin_path=f"{scoped}&officer__is_leading_cadre__exact=1&first_in_window__exact=0",
        ),
        Scenario(
            "selfcheck.queue.search",
            "自查审核 按姓名搜索",
            "reviewer",
            f"{queue}?{urlencode({'q': surname})}",
            admin_path=f"{scoped}&{urlencode({'q': surname})}",
        ),
        Scenario(
            "selfcheck.queue.province.first",
            "自查审核 第一页（全省审核员）",
            ROOT_REVIEWER,
            queue,
            admin_path=root_scoped,
        ),
        Scenario(
            "selfcheck.queue.province.deep",
            "自查审核 第21页（全省审核员）",
            ROOT_REVIEWER,
            f"{queue}?{urlencode({'after': root_after})}",
            admin_path=f"{root_scoped}&p={admin_page(root_rows, pages=20)}",
            deep_of="selfcheck.queue.province.first",
        ),
        Scenario(
            "selfcheck.figures.office",
            "自查完成情况（全省办公室）",
            "office",
            reverse("selfcheck:figures"),
            kind="dashboard",
        ),
        Scenario(
            "selfcheck.figures.reviewer",
            "自查完成情况（区县审核员）",
            "reviewer",
            reverse("selfcheck:figures"),
            kind="dashboard",
        ),
    ]
