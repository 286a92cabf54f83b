"""O7 maintained figures: the counters the services keep equal what a rebuild computes from
the rows, whatever sequence of real operations ran; rebuild_figures and its --check; the
nightly snapshot is idempotent; recusal hides a leader's own lead from their totals; and the
ledgers' figures, the counters and the levers agree for the same scope."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from leadership.selectors.levers import unit_levers
from leads import services as lead_services
from leads.access import leads_visible_to
from leads.models import Channel, DispositionForm, LeadCategory, LeadConclusion, LeadStatus
from leads.rules.leniency import leniency_counts
from leads.selectors import ledger_figures
from rectify import figures
from rectify.models import ChronicProblem, Unit, UnitFigure, UnitFigureDay
from remediation.models import ItemKind, ItemOrigin, ItemStatus
from remediation.services import item_create
from remediation.services.closure import item_submit_rectified
from remediation.services.rotations import rotation_create
from remediation.workflow import item_transition
from selfcheck import services as sc_services
from selfcheck.selectors import unit_figures
from tests.factories import OfficerFactory, PlanFactory
from tests.selfcheck.conftest import FakePost, post_data

pytestmark = pytest.mark.django_db


def _draft(officer, campaign, yes=()):
    items = sc_services.form_items(officer=officer, campaign=campaign)
    return sc_services.draft_from_post(FakePost(post_data(yes=yes)), items)


class World:
    """Real operations through the services, picked by a seeded random generator."""

    def __init__(self, org, rng: random.Random) -> None:
        self.org = org
        self.rng = rng
        self.leads: list = []
        self.items: list = []
        self.hotline = Channel.objects.get(code="hotline")
        self.mailbox = Channel.objects.get(code="mailbox")
        self.plan = PlanFactory(campaign=org.campaign, unit=org.police_a, title="整治方案")

    def register(self):
        o = self.org
        subjects = self.rng.choice([[], [o.officer_a], [o.officer_a2]])
        lead = lead_services.lead_register(
            office=self.rng.choice([o.office_a, o.office_a]),
            actor=o.intake,
            received_date=timezone.localdate() - dt.timedelta(days=self.rng.choice([0, 3, 30])),
            channel=self.rng.choice([self.hotline, self.mailbox]),
            category=self.rng.choice([LeadCategory.INTERFERENCE, LeadCategory.OTHER]),
            summary=f"反映某干警问题{len(self.leads)}",
            subjects=[lead_services.SubjectInput(name=s.name, officer=s) for s in subjects],
        )
        self.leads.append(lead)

    def _lead(self, *statuses):
        for lead in self.leads:
            lead.refresh_from_db()
        candidates = [x for x in self.leads if x.status in statuses]
        return self.rng.choice(candidates) if candidates else None

    def assign(self):
        lead = self._lead(LeadStatus.REGISTERED)
        if lead is None:
            return
        o = self.org
        lead_services.lead_assign(
            lead=lead,
            actor=o.office_staff,
            unit=o.police_a,
            handler=o.handler,
            deadline=timezone.localdate() + dt.timedelta(days=self.rng.choice([-2, 30])),
            route="verification",
            past_deadline_confirmed=True,
            override_reason="已核实无需回避",
        )

    def conclude(self):
        lead = self._lead(LeadStatus.HANDLING)
        if lead is None:
            return
        lead_services.lead_conclude(
            lead=lead,
            actor=self.org.handler.user,
            conclusion=LeadConclusion.SUBSTANTIATED,
            result="经核查属实",
            dealt_with="某某，谈话提醒",
            disposition_form=self.rng.choice([DispositionForm.FIRST, DispositionForm.SECOND]),
        )
        if self.rng.random() < 0.5:
            lead.refresh_from_db()
            lead_services.lead_cross_off(lead=lead, actor=self.org.office_staff)

    def close_or_transfer(self):
        lead = self._lead(LeadStatus.REGISTERED)
        if lead is None:
            return
        o = self.org
        if self.rng.random() < 0.5:
            lead_services.lead_close(lead=lead, actor=o.office_staff, reason="反映不具体")
        else:
            lead_services.lead_transfer(
                lead=lead, actor=o.office_staff, body="区纪委监委", date=timezone.localdate()
            )

    def list_supervision(self):
        lead = self._lead(LeadStatus.HANDLING, LeadStatus.REGISTERED)
        if lead is None:
            return
        lead_services.lead_list_supervision(
            lead=lead,
            actor=self.org.office_staff,
            supervisor=self.org.unit_head,
            deadline=timezone.localdate() + dt.timedelta(days=10),
        )

    def selfcheck(self):
        o = self.org
        officer = self.rng.choice([o.officer_a, o.officer_a2, o.cadre_a, o.handler])
        report = sc_services.report_for_officer(officer=officer, campaign=o.campaign)
        if report.is_editable:
            yes = self.rng.choice([(), (ChronicProblem.INTERFERENCE,)])
            sc_services.report_submit(
                report=report, draft=_draft(officer, o.campaign, yes), actor=officer.user
            )
        elif report.status == "submitted":
            if self.rng.random() < 0.5:
                sc_services.report_accept(report=report, actor=o.reviewer)
            else:
                sc_services.report_return(report=report, actor=o.reviewer, reason="请补充")

    def item(self):
        item = item_create(
            plan=self.plan,
            actor=self.org.office_staff,
            description=f"整改问题{len(self.items)}",
            kind=ItemKind.FREQUENT,
            origin=ItemOrigin.INSPECTION,
            deadline=timezone.localdate() + dt.timedelta(days=self.rng.choice([-1, 20])),
        )
        self.items.append(item)

    def item_move(self):
        open_items = [i for i in self.items if i.status in (ItemStatus.OPEN, ItemStatus.RECTIFIED)]
        if not open_items:
            return
        item = self.rng.choice(open_items)
        item.refresh_from_db()
        if item.status == ItemStatus.OPEN:
            item_submit_rectified(item=item, actor=self.org.office_staff, note="已整改")
            item.refresh_from_db()
        else:
            item_transition(item, ItemStatus.ACCEPTED, actor=self.org.office_staff)

    def rotate(self):
        o = self.org
        officer = o.officer_a2
        officer.refresh_from_db()
        to_unit = o.court_a if officer.unit_id != o.court_a.pk else o.station_a1
        rotation_create(
            actor=o.office_staff,
            officer=officer,
            to_unit=to_unit,
            to_post=f"岗位{self.rng.randint(1, 10**6)}",
            effective_date=timezone.localdate(),
            reason="交流",
            kind="rotation",
        )

    def step(self):
        op = self.rng.choice(
            [
                self.register,
                self.register,
                self.assign,
                self.conclude,
                self.close_or_transfer,
                self.list_supervision,
                self.selfcheck,
                self.selfcheck,
                self.item,
                self.item_move,
                self.rotate,
            ]
        )
        op()
        return op.__name__


def _same(campaign):
    want = figures.computed(campaign=campaign)
    have = figures.stored(campaign=campaign)
    return {
        k: (have.get(k), want.get(k))
        for k in want.keys() | have.keys()
        if want.get(k) != have.get(k)
    }


@pytest.mark.parametrize("seed", [7, 13])
def test_o7_counters_follow_random_operations(org, seed):
    figures.rebuild(campaign=org.campaign)  # the register came in by factories
    world = World(org, random.Random(seed))
    for n in range(40):
        name = world.step()
        diff = _same(org.campaign)
        assert not diff, f"step {n} ({name}): {diff}"
        stale = figures.stale_totals(org.campaign)
        assert not stale, f"step {n} ({name}) subtree totals: {stale}"
    stored = figures.stored(campaign=org.campaign)
    # the sequence touched all three sources
    assert {k.split(".")[0] for _, k in stored} >= {"sc", "ld", "rm"}


def test_o7_rebuild_figures_command_and_check(org, capsys):
    OfficerFactory(unit=org.court_b)
    UnitFigure.objects.all().delete()  # as after a fresh deploy
    with pytest.raises(CommandError):
        call_command("rebuild_figures", "--check")  # nothing stored yet: all differ
    assert not UnitFigure.objects.exists()  # --check writes nothing
    call_command("rebuild_figures")
    assert figures.stored(campaign=org.campaign) == figures.computed(campaign=org.campaign)
    call_command("rebuild_figures", "--check")
    row = UnitFigure.objects.filter(key="sc.expected").first()
    row.value += 5
    row.save()
    with pytest.raises(CommandError):
        call_command("rebuild_figures", "--check")
    assert "sc.expected" in capsys.readouterr().out


def test_o7_snapshot_twice_the_same_day_changes_nothing(org):
    figures.rebuild(campaign=org.campaign)
    figures.snapshot(campaign=org.campaign)
    first = sorted(UnitFigureDay.objects.values_list("unit_id", "day", "values"), key=str)
    figures.snapshot(campaign=org.campaign)
    again = sorted(UnitFigureDay.objects.values_list("unit_id", "day", "values"), key=str)
    assert first == again
    city = next(v for u, _d, v in first if u == org.city.pk)
    assert city["sc.expected"] == 6  # every active officer of the city's subtree


def test_o7_nightly_task_rebuilds_then_snapshots(org):
    from rectify.tasks import figures_nightly

    assert figures_nightly.run()["counters"] > 0
    assert figures_nightly.run() == figures_nightly.run()
    assert UnitFigureDay.objects.filter(day=timezone.localdate()).exists()


def _chief_is_subject(org):
    chief_officer = OfficerFactory(unit=org.city, user=org.chief, name="钱市长")
    return lead_services.lead_register(
        office=org.office_a,
        actor=org.intake,
        received_date=timezone.localdate(),
        channel=Channel.objects.get(code="hotline"),
        category=LeadCategory.INTERFERENCE,
        summary="反映市领导问题",
        subjects=[lead_services.SubjectInput(name=chief_officer.name, officer=chief_officer)],
    )


def test_o7_recusal_a_leader_named_in_a_lead_does_not_count_it(org):
    lead_services.lead_register(
        office=org.office_a,
        actor=org.intake,
        received_date=timezone.localdate(),
        channel=Channel.objects.get(code="hotline"),
        category=LeadCategory.OTHER,
        summary="反映一般问题",
    )
    lead = _chief_is_subject(org)
    plan = PlanFactory(campaign=org.campaign, unit=org.police_a, title="整治方案")
    for source_lead in (lead, None):
        item_create(
            plan=plan,
            actor=org.office_staff,
            description="整改问题",
            kind=ItemKind.FREQUENT,
            origin=ItemOrigin.LEAD if source_lead else ItemOrigin.INSPECTION,
            source_lead=source_lead,
            deadline=timezone.localdate() + dt.timedelta(days=20),
        )
    c = org.campaign
    assert figures.totals(c, org.city)["rm.items"] == 2
    assert figures.totals_for(org.chief, c, org.city)["rm.items"] == 1
    assert figures.child_totals_for(org.chief, c, org.city)[org.district_a.path]["rm.items"] == 1
    assert figures.totals(c, org.city)["ld.received"] == 2
    assert figures.totals_for(org.chief, c, org.city)["ld.received"] == 1
    assert figures.totals_for(org.office_staff, c, org.district_a)["ld.received"] == 2
    children = figures.child_totals_for(org.chief, c, org.city)
    assert children[org.district_a.path]["ld.received"] == 1
    assert figures.child_totals(c, org.city)[org.district_a.path]["ld.received"] == 2
    assert unit_levers(org.chief, c, org.city)["ld.received"] == 1


def test_o7_ledger_figures_equal_counters_and_levers(org, client):
    world = World(org, random.Random(3))
    _chief_is_subject(org)  # (its officer comes from a factory: before the rebuild)
    figures.rebuild(campaign=org.campaign)
    for _ in range(30):
        world.step()
    c = org.campaign
    for user, unit in ((org.chief, org.city), (org.office_staff, org.district_a)):
        ledger = ledger_figures(user)
        counts = figures.totals_for(user, c, unit)
        assert counts["ld.received"] > 0
        levers = unit_levers(user, c, unit)
        for key in ("received", "pending", "screened", "handling", "concluded"):
            assert getattr(ledger, key) == counts[f"ld.{key}"] == levers[f"ld.{key}"], key
        for key in ("crossed_off", "overdue", "merged"):
            assert getattr(ledger, key) == counts[f"ld.{key}"], key
        assert ledger.closure_rate == levers.closure_rate
        l12 = leniency_counts(leads_visible_to(user))
        assert (l12["declared"], l12["investigated"]) == (
            counts["ld.self_declared"],
            counts["ld.found"],
        )
    page = unit_figures(unit=org.city, campaign=c)
    totals = figures.totals(c, org.city)
    assert (page.required, page.submitted, page.accepted, page.returned, page.late) == (
        totals["sc.expected"],
        totals["sc.submitted"],
        totals["sc.accepted"],
        totals["sc.returned"],
        totals["sc.late"],
    )
    assert page.cadre_submitted == totals["sc.cadre_submitted"]
    assert page.yes_per_item == unit_levers(org.chief, c, org.city).sub("sc.yes:")


def test_o7_a_lead_moving_units_recounts_both(org):
    from leads.models import JurisdictionKind

    world = World(org, random.Random(1))
    figures.rebuild(campaign=org.campaign)
    world.register()
    lead = world.leads[0]
    world.assign()
    c = org.campaign
    assert figures.stored(campaign=c).get((org.police_a.pk, "ld.received")) == 1
    lead_services.lead_change_jurisdiction(
        lead=lead,
        actor=org.office_staff,
        kind=JurisdictionKind.CROSS,
        to_unit=org.court_a,
        reason="原承办单位与被反映人存在利害关系",
        handler=org.officer_a,
        deadline=timezone.localdate() + dt.timedelta(days=40),
        override_reason="已核实无需回避",
    )
    stored = figures.stored(campaign=c)
    assert (org.police_a.pk, "ld.received") not in stored
    assert stored[(org.court_a.pk, "ld.received")] == 1
    assert not _same(c)


def test_o7_an_org_import_recounts_the_officers_units(db, campaign):
    from rectify.importers import import_org
    from tests.rectify.xlsx_builders import messy_org_workbook

    assert import_org(upload=messy_org_workbook(), actor=None).ok
    assert not _same(campaign)
    moved = messy_org_workbook(officers=[["010001", "王伟", "QHD-KFQ-FY", "院长", "是"]])
    assert import_org(upload=moved, actor=None).ok
    assert not _same(campaign)
    assert figures.stored(campaign=campaign)


def test_o7_bulk_imports_leave_the_counters_equal_to_a_recompute(org):
    from leads.ledger import import_ledger
    from remediation.services.list_import import import_problem_list
    from tests.leads.test_l5_ledger_import_parsing import messy_ledger_xlsx
    from tests.remediation.test_r4_problem_list_import import _messy_single

    PlanFactory(campaign=org.campaign, unit=org.police_a, title="整治方案")
    figures.rebuild(campaign=org.campaign)
    result = import_ledger(upload=messy_ledger_xlsx(), office=org.office_a, actor=org.intake)
    assert result.ok, result.errors
    content = _messy_single("ZG-甲-100", "初次描述", measures="措施一")
    assert import_problem_list(upload=content, root=org.district_a, actor=org.office_staff).ok
    assert not _same(org.campaign)
    stored = figures.stored(campaign=org.campaign)
    assert any(k.startswith("ld.") for _, k in stored)
    assert any(k == "rm.items" for _, k in stored)


def test_o7_a_unit_moved_by_the_org_import_counts_under_its_new_parent(db, campaign):
    from rectify.importers import import_org
    from tests.rectify.xlsx_builders import messy_org_workbook

    region = ["QHD-NEW", "新区", "地区", "QHD", "区县级"]
    people = [["020001", "赵强", "QHD-NEW-FY", "审判员", "否"]]
    before = messy_org_workbook(
        extra_unit_rows=[region, ["QHD-NEW-FY", "新区法庭", "法院", "QHD-KFQ", "县区级"]],
        extra_officer_rows=people,
    )
    assert import_org(upload=before, actor=None).ok
    kfq, new = Unit.objects.get(code="QHD-KFQ"), Unit.objects.get(code="QHD-NEW")
    assert figures.totals(campaign, kfq)["sc.expected"] == 4
    after = messy_org_workbook(
        extra_unit_rows=[region, ["QHD-NEW-FY", "新区法庭", "法院", "QHD-NEW", "县区级"]],
        extra_officer_rows=people,
    )
    assert import_org(upload=after, actor=None).ok
    assert figures.totals(campaign, kfq)["sc.expected"] == 3
    assert figures.totals(campaign, new)["sc.expected"] == 1
    assert not figures.stale_totals(campaign)
