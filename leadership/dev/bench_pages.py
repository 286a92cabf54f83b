"""Leadership's pages in `bench pages` (#14): the leader's dashboard at the province and at a
district (the drill-down URL), the closure rates of a subtree's children (the dashboard's
table partial, which the sort links and the drill-down fetch), 我督办的, and the periodic
report generated on demand (the Celery task's body, run eagerly in a child process)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin
from django.urls import reverse

from rectify.benchpages import Job, Scenario

from ..models import SupervisionOrder

if TYPE_CHECKING:
    from django.contrib.admin import AdminSite

    from rectify.province import Province

TABLE = {"HX-Request": "true", "HX-Target": "dash-table"}


class SupervisionOrderAdmin(admin.ModelAdmin):
    list_display = ("seq", "year", "unit", "about", "status", "deadline", "issuer")
    list_filter = ("status", "about")
    search_fields = ("content",)


def register_admin(site: AdminSite) -> None:
    if not site.is_registered(SupervisionOrder):
        site.register(SupervisionOrder, SupervisionOrderAdmin)


def scenarios(p: Province) -> list[Scenario]:
    district = reverse("leadership:unit_dashboard", args=[p.district.pk])
    root = reverse("leadership:unit_dashboard", args=[p.root.pk])
    return [
        Scenario(
            "leadership.dashboard.province",
            "领导驾驶舱（全省）",
            "leader",
            reverse("leadership:dashboard"),
            kind="dashboard",
        ),
        Scenario(
            "leadership.dashboard.district",
            "领导驾驶舱 下钻至区县",
            "leader",
            district,
            kind="dashboard",
        ),
        Scenario(
            "leadership.closure.province",
            "下级单位查结率（全省，表格局部刷新）",
            "leader",
            f"{root}?sort=closure_rate",
            headers=TABLE,
            kind="dashboard",
            targets={"p95_ms": 50},
        ),
        Scenario(
            "leadership.closure.district",
            "下级单位查结率（区县，表格局部刷新）",
            "leader",
            f"{district}?sort=closure_rate",
            headers=TABLE,
            kind="dashboard",
            targets={"p95_ms": 50},
        ),
        Scenario(
            "leadership.supervising.leader",
            "我督办的（省领导）",
            "leader",
            reverse("leadership:supervising"),
            admin_path="/bench-admin/leadership/supervisionorder/",
        ),
    ]


def _report(p: Province) -> dict:
    from ..models import ReportStatus
    from ..services.reports import report_generate, report_request

    report = report_request(office=p.office_for(p.root), actor=p.user("office"), day=p.today)
    done = report_generate(report_id=report.pk)
    assert done is not None and done.status == ReportStatus.READY, done and done.message
    return {"bytes": len(done.content), "status": str(done.status)}


def jobs(p: Province) -> list[Job]:
    return [
        Job(
            "leadership.report",
            "进展统计表 按需生成（全省）",
            _report,
            targets={"seconds": 30, "peak_mb": 150},
        )
    ]
