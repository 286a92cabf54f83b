"""L10: untouched (有线索不查) and overdue (久查不结) leads are flagged against the responsible
unit and person, escalate up the responsibility chain as the days pass, and accountability
(追责问责) can be attached."""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO
from types import SimpleNamespace

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from leads import selectors, services
from leads.models import Accountability, Escalation, EventKind, FlagKind, Lead, LeadEvent
from leads.tasks import leads_escalate_overdue
from rectify.models import AuditEvent, Unit
from tests.factories import OfficerFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 15)


@pytest.fixture(autouse=True)
def _days(settings):
    settings.LEADS_UNTOUCHED_DAYS = 15
    settings.LEADS_ESCALATE_DAYS = 7


@pytest.fixture
def chain(org):
    """police_a: direct = the bureau head (周局长), primary = the bureau's party secretary;
    district_a: primary = the district secretary, whose account is the chief's."""
    secretary = OfficerFactory(unit=org.police_a, name="局党委书记", number="A102")
    district = OfficerFactory(unit=org.district_a, name="区委书记", number="A001X", user=org.chief)
    Unit.objects.filter(pk=org.police_a.pk).update(
        direct_responsible=org.unit_head, primary_responsible=secretary
    )
    Unit.objects.filter(pk=org.district_a.pk).update(primary_responsible=district)
    return SimpleNamespace(head=org.unit_head, secretary=secretary, district=district)


def overdue_by(lead: Lead, n: int, today: dt.date = TODAY) -> Lead:
    Lead.objects.filter(pk=lead.pk).update(deadline=today - dt.timedelta(days=n))
    return Lead.objects.select_related("handling_unit", "office__jurisdiction").get(pk=lead.pk)


def idle_for(lead: Lead, n: int, today: dt.date = TODAY) -> Lead:
    at = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=n), dt.time(10)))
    Lead.objects.filter(pk=lead.pk).update(
        last_activity_at=at, deadline=today + dt.timedelta(days=30)
    )
    return Lead.objects.select_related("handling_unit", "office__jurisdiction").get(pk=lead.pk)


def flag_of(lead: Lead, today: dt.date = TODAY):
    (lead,) = selectors.with_flags([lead], today=today)
    return lead.flag


# --- flags -----------------------------------------------------------------------------------


def test_l10_untouched_lead_is_flagged_against_the_responsible_unit_and_person(
    org, chain, assigned
):
    lead = idle_for(assigned(), 20)
    fresh = idle_for(assigned(), 15)  # exactly the limit: not yet
    flagged = Lead.objects.filter(selectors.untouched_q(TODAY))
    assert list(flagged) == [lead]
    flag = flag_of(lead)
    assert flag.kind == FlagKind.UNTOUCHED and flag.days_late == 5 and flag.level == 0
    assert flag.unit == org.police_a and flag.person == chain.head
    assert flag_of(fresh) is None
    # Python and SQL agree on the edge.
    assert not Lead.objects.filter(selectors.untouched_q(TODAY), pk=fresh.pk).exists()
    assert Lead.objects.filter(selectors.untouched_q(TODAY + dt.timedelta(days=1)), pk=fresh.pk)


def test_l10_a_lead_never_worked_counts_from_its_screening(org, chain, assigned):
    lead = assigned()
    screened = timezone.make_aware(dt.datetime.combine(TODAY - dt.timedelta(days=30), dt.time()))
    Lead.objects.filter(pk=lead.pk).update(last_activity_at=None, screened_at=screened)
    assert Lead.objects.filter(selectors.untouched_q(TODAY), pk=lead.pk).exists()


def test_l10_overdue_escalates_up_the_chain_with_the_days_late(org, chain, assigned):
    lead = assigned()
    expected = {
        3: (0, org.police_a, chain.head),
        8: (1, org.police_a, chain.secretary),
        15: (2, org.district_a, chain.district),
        60: (8, org.district_a, chain.district),  # beyond the top: stays at the top
    }
    for late, (level, unit, person) in expected.items():
        flag = flag_of(overdue_by(lead, late))
        assert (flag.kind, flag.days_late) == (FlagKind.OVERDUE, late)
        assert (flag.level, flag.unit, flag.person) == (level, unit, person), late


def test_l10_supervision_deadline_passed_is_overdue(org, chain, assigned):
    lead = assigned()
    services.lead_list_supervision(
        lead=lead,
        actor=org.office_staff,
        supervisor=org.cadre_a,
        deadline=timezone.localdate() + dt.timedelta(days=1),
    )
    Lead.objects.filter(pk=lead.pk).update(supervision_deadline=TODAY - dt.timedelta(days=9))
    lead = Lead.objects.select_related("handling_unit", "office__jurisdiction").get(pk=lead.pk)
    flag = flag_of(lead)
    assert flag.kind == FlagKind.OVERDUE and flag.supervision and flag.days_late == 9
    assert flag.person == chain.secretary
    assert Lead.objects.filter(selectors.supervision_overdue_q(TODAY)).get() == lead


def test_l10_work_on_the_lead_clears_the_untouched_flag(org, chain, assigned):
    lead = idle_for(assigned(), 30)
    today = timezone.localdate()
    Lead.objects.filter(pk=lead.pk).update(last_activity_at=timezone.now() - dt.timedelta(days=30))
    assert Lead.objects.filter(selectors.untouched_q(today), pk=lead.pk).exists()
    services.lead_add_event(lead=lead, actor=org.chief, kind="supervision", text="督办")
    assert Lead.objects.filter(selectors.untouched_q(today), pk=lead.pk).exists()
    services.lead_add_event(lead=lead, actor=org.handler.user, kind="note", text="已约谈")
    assert not Lead.objects.filter(selectors.untouched_q(today), pk=lead.pk).exists()


# --- escalation (the nightly task) ------------------------------------------------------------


def test_l10_escalation_task_is_idempotent_and_climbs_with_the_days(org, chain, assigned):
    lead = overdue_by(assigned(), 8, timezone.localdate())
    assert leads_escalate_overdue.delay().get() == 2  # levels 0 and 1
    assert leads_escalate_overdue.delay().get() == 0  # run twice: nothing new
    rows = list(Escalation.objects.filter(lead=lead).order_by("level"))
    assert [(e.kind, e.level, e.unit, e.person) for e in rows] == [
        (FlagKind.OVERDUE, 0, org.police_a, chain.head),
        (FlagKind.OVERDUE, 1, org.police_a, chain.secretary),
    ]
    events = LeadEvent.objects.filter(lead=lead, kind=EventKind.ESCALATION)
    assert events.count() == 2
    assert "局党委书记" in events.last().text and "逾期 8 天" in events.last().text
    # A week later it reaches the district.
    later = timezone.localdate() + dt.timedelta(days=7)
    assert services.escalate_flagged(later) == 1
    assert services.escalate_flagged(later) == 0
    top = Escalation.objects.get(lead=lead, level=2)
    assert (top.unit, top.person) == (org.district_a, chain.district)
    assert LeadEvent.objects.filter(lead=lead, kind=EventKind.ESCALATION).count() == 3
    assert AuditEvent.objects.filter(action="leads.escalation.created").count() == 2
    # Escalation is not handling: the lead is still untouched-clock-wise where it was.
    assert Lead.objects.get(pk=lead.pk).last_activity_at == lead.last_activity_at


def test_l10_the_task_is_scheduled_daily_and_the_command_shares_its_core(org, chain, assigned):
    entry = django_settings.CELERY_BEAT_SCHEDULE["leads-escalate-overdue"]
    assert entry["task"] == "leads.tasks.leads_escalate_overdue"
    idle_for(assigned(), 20, timezone.localdate())
    out = StringIO()
    call_command("escalate_leads", stdout=out)
    assert "新增逾期上报 1 条" in out.getvalue()
    call_command("escalate_leads", stdout=out)
    assert Escalation.objects.get().kind == FlagKind.UNTOUCHED


def test_l10_escalated_to_me_on_the_home_page_and_the_board(client, org, chain, assigned):
    lead = overdue_by(assigned(), 16, timezone.localdate())
    other = assigned()  # not overdue
    services.escalate_flagged()
    client.force_login(org.chief)  # the district secretary's account
    home = client.get(reverse("home")).content.decode()
    assert re.search(r"上报给我的逾期线索.{0,200}?>\s*1\s*<", home, re.S), home
    board = client.get(reverse("leads:oversight"), {"mine": "1"}).content.decode()
    assert lead.number in board and other.number not in board
    assert "区委书记" in board and "第 3 级" in board
    client.force_login(org.office_staff)  # nothing escalated to them
    home = client.get(reverse("home")).content.decode()
    assert re.search(r"上报给我的逾期线索.{0,200}?>\s*0\s*<", home, re.S)
    assert lead.number not in client.get(reverse("leads:oversight"), {"mine": "1"}).content.decode()


# --- the board --------------------------------------------------------------------------------


def test_l10_board_lists_flagged_leads_with_filters(client, org, chain, assigned):
    today = timezone.localdate()
    untouched = idle_for(assigned(summary="甲 长期未办理"), 20, today)
    overdue = overdue_by(assigned(summary="乙 超期"), 9, today)
    listed = assigned(summary="丙 挂牌")
    services.lead_list_supervision(
        lead=listed,
        actor=org.office_staff,
        supervisor=org.cadre_a,
        deadline=today + dt.timedelta(days=1),
    )
    Lead.objects.filter(pk=listed.pk).update(supervision_deadline=today - dt.timedelta(days=2))
    quiet = assigned(summary="丁 正常")
    client.force_login(org.office_staff)
    url = reverse("leads:oversight")

    def numbers(**params):
        page = client.get(url, params).content.decode()
        return {lead.number for lead in (untouched, overdue, listed, quiet) if lead.number in page}

    assert numbers() == {untouched.number, overdue.number, listed.number}
    assert numbers(kind="untouched") == {untouched.number}
    assert numbers(kind="overdue") == {overdue.number}
    assert numbers(kind="supervision") == {listed.number}
    assert numbers(listed="1") == {listed.number}
    assert numbers(level="1") == {overdue.number}  # 9 days late: the second step
    assert numbers(unit=org.court_a.pk) == set()
    assert numbers(unit=org.district_a.pk) == {untouched.number, overdue.number, listed.number}
    page = client.get(url).content.decode()
    assert "周局长" in page and "局党委书记" in page  # the responsible person per row
    assert "有线索不查" in page and "督办逾期" in page


def test_l10_board_costs_the_same_queries_for_2_or_20_rows(client, org, chain, assigned):
    today = timezone.localdate()

    def queries_for(n: int) -> int:
        Lead.objects.all().delete()
        for i in range(n):
            lead = assigned()
            if i % 2:  # two units, so two responsibility chains
                Lead.objects.filter(pk=lead.pk).update(
                    handling_unit=org.station_a1, handler=org.officer_a2
                )
            overdue_by(lead, 3 + i, today)
        services.escalate_flagged()
        client.force_login(org.chief)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("leads:oversight"))
        assert response.status_code == 200
        assert response.content.decode().count('class="ld-overdue"') == n
        return len(ctx.captured_queries)

    assert queries_for(2) == queries_for(20)


def test_l10_recusal_a_board_user_who_is_a_subject_does_not_see_the_lead(
    client, org, chain, assigned
):
    me = OfficerFactory(unit=org.district_a, user=org.office_staff, name="吴办公", number="A555")
    mine = overdue_by(assigned(subjects=[me], summary="反映吴办公"), 10, timezone.localdate())
    other = overdue_by(assigned(), 10, timezone.localdate())
    assert list(selectors.flagged_leads(org.office_staff)) == [other]
    client.force_login(org.office_staff)
    page = client.get(reverse("leads:oversight")).content.decode()
    assert other.number in page and mine.number not in page
    client.force_login(org.chief)
    assert mine.number in client.get(reverse("leads:oversight")).content.decode()


# --- accountability ---------------------------------------------------------------------------


def test_l10_accountability_attached_through_the_page(client, org, chain, assigned):
    lead = overdue_by(assigned(), 20, timezone.localdate())
    url = reverse("leads:accountability_add", args=[lead.pk])
    data = {"officer": "A100", "measure": "talk", "reason": "线索超期二十天未查结"}
    client.force_login(org.handler.user)
    assert client.post(url, data).status_code == 403
    client.force_login(org.office_staff)
    page = client.get(reverse("leads:detail", args=[lead.pk])).content.decode()
    assert 'id="ov-accountability-form"' in page and "data-confirm" in page
    response = client.post(url, {**data, "officer": ""}, follow=True)
    assert "请填写被问责人警号或姓名" in " ".join(str(m) for m in response.context["messages"])
    assert not Accountability.objects.exists()
    response = client.post(url, data, follow=True)
    record = Accountability.objects.get()
    assert (record.lead, record.officer, record.person_name) == (lead, org.handler, "孙承办")
    assert record.unit == org.police_a and record.actor == org.office_staff
    page = response.content.decode()
    assert "孙承办" in page.split('id="ov-accountabilities"')[1] and "谈话提醒" in page
    assert LeadEvent.objects.filter(lead=lead, kind=EventKind.ACCOUNTABILITY).exists()
    assert AuditEvent.objects.filter(action="leads.accountability.created").exists()
    # Someone not on the register, by name and unit.
    client.post(
        url,
        {
            "person_name": "原承办人钱某",
            "unit": org.police_a.pk,
            "measure": "notice",
            "reason": "x",
        },
    )
    assert Accountability.objects.filter(person_name="原承办人钱某", officer=None).exists()
