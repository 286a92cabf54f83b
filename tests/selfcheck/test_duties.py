"""S1 talks, S2 warning cases, S3 cadres first, S5 N items, and the selectors API for leads."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from rectify.models import ChronicProblem
from selfcheck import selectors, services
from selfcheck.models import CaseRead, CaseStatus, TalkTrigger, VersionAnswer

from .conftest import BIZ_ROW, FakePost, post_data, submit

pytestmark = pytest.mark.django_db


# --- S1 talks ------------------------------------------------------------------------------


def test_s1_talks_are_recorded_with_coverage_per_unit_and_trigger(client, org):
    services.talk_triggers_ensure()
    trigger = TalkTrigger.objects.get(code="promotion")
    client.force_login(org.reviewer)
    response = client.post(
        reverse("selfcheck:talks"),
        {
            "officer": org.officer_a.number,
            "talker": org.cadre_a.number,
            "talked_on": "2026-01-05",
            "trigger": trigger.pk,
            "points": "了解思想动态",
            "follow_up": "一周后回访",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("selfcheck:talks"))
    per_unit = {r["unit"].code: (r["talked"], r["total"]) for r in page.context["per_unit"]}
    assert per_unit["DA"][0] == 1 and per_unit["DA-COURT"] == (1, 2)  # 张三 + 赵院长
    per_trigger = {r["trigger"].code: r["n"] for r in page.context["per_trigger"]}
    assert per_trigger["promotion"] == 1 and per_trigger["family"] == 0
    assert "了解思想动态" in page.content.decode()


def test_s1_talks_are_scoped(client, org):
    services.talk_triggers_ensure()
    client.force_login(org.reviewer)
    response = client.post(
        reverse("selfcheck:talks"),
        {
            "officer": org.officer_b.number,  # not in the reviewer's subtree
            "talker": org.cadre_a.number,
            "talked_on": "2026-01-05",
            "trigger": TalkTrigger.objects.first().pk,
            "points": "p",
        },
    )
    assert response.status_code == 200  # form error: not a valid choice
    client.force_login(org.officer_a.user)
    assert client.get(reverse("selfcheck:talks")).status_code == 403


# --- S2 / O6 warning cases -------------------------------------------------------------------


def test_s2_case_published_only_after_leader_approval_and_reads_confirmed(client, org):
    client.force_login(org.office_staff)
    client.post(
        reverse("selfcheck:cases"),
        {
            "unit": org.district_a.pk,
            "title": "典型案例一",
            "category": "business",
            "body": "案情",
            "lesson": "启示",
        },
    )
    from selfcheck.models import WarningCase

    case = WarningCase.objects.get(title="典型案例一")
    assert case.status == CaseStatus.PENDING
    client.force_login(org.officer_a.user)
    assert client.get(reverse("selfcheck:case_detail", args=[case.pk])).status_code == 404
    client.force_login(org.office_staff)  # office cannot approve its own draft
    assert (
        client.post(
            reverse("selfcheck:case_decide", args=[case.pk]), {"decision": "approve"}
        ).status_code
        == 404
    )
    client.force_login(org.chief)
    client.post(reverse("selfcheck:case_decide", args=[case.pk]), {"decision": "approve"})
    case.refresh_from_db()
    assert case.status == CaseStatus.PUBLISHED and case.decided_by == org.chief
    client.force_login(org.officer_a.user)
    assert "典型案例一" in client.get(reverse("selfcheck:cases")).content.decode()
    client.post(reverse("selfcheck:case_confirm_read", args=[case.pk]))
    assert CaseRead.objects.filter(case=case, officer=org.officer_a).exists()
    client.force_login(org.officer_b.user)  # other district: not addressed to them
    assert client.get(reverse("selfcheck:case_detail", args=[case.pk])).status_code == 404
    cov = {r["unit"].code: (r["read"], r["total"]) for r in selectors.case_read_coverage(case)}
    assert cov["DA-COURT"] == (1, 2) and cov["DA"][0] == 1


# --- S3 leading cadres first ---------------------------------------------------------------


def test_s3_cadre_figures_separate_and_earlier_deadline_makes_late(org):
    campaign = org.campaign
    between = campaign.cadre_deadline + dt.timedelta(days=1)
    assert between <= campaign.selfcheck_deadline
    submit(org.officer_a, campaign)
    fig = selectors.unit_figures(unit=org.district_a, campaign=campaign, today=between)
    # cadres: 赵院长 + 周局长, not submitted, past their deadline
    assert (fig.cadre_required, fig.cadre_submitted, fig.cadre_late) == (2, 0, 2)
    # ordinary officers who have not submitted are not late yet
    assert fig.late == 2 and fig.submitted == 1
    later = campaign.selfcheck_deadline + dt.timedelta(days=1)
    fig = selectors.unit_figures(unit=org.district_a, campaign=campaign, today=later)
    assert fig.late == fig.required - fig.submitted


def test_s3_cadre_submission_after_cadre_deadline_is_late(org):
    when = timezone.make_aware(
        dt.datetime.combine(org.campaign.cadre_deadline + dt.timedelta(days=1), dt.time(10))
    )
    report = services.report_for_officer(officer=org.cadre_a, campaign=org.campaign)
    from .conftest import draft_of

    services.report_submit(
        report=report, draft=draft_of(org.cadre_a, org.campaign), actor=org.cadre_a.user, now=when
    )
    report.refresh_from_db()
    assert report.first_in_window is False and selectors.report_is_late(report)


def test_s3_figures_page_shows_cadres_first(client, org):
    client.force_login(org.chief)
    text = client.get(reverse("selfcheck:figures")).content.decode()
    assert text.index("cadre-figures") < text.index("all-figures")


# --- S5 N items ----------------------------------------------------------------------------


def test_s5_n_items_inherit_down_the_subtree(org):
    services.item_config_create(
        campaign=org.campaign,
        unit=org.police_a,
        text="是否违规使用警车",
        help_text="",
        kind="yesno",
        order=1,
        actor=org.office_staff,
    )
    keys_station = [
        i.label for i in services.form_items(officer=org.officer_a2, campaign=org.campaign)
    ]
    keys_court = [
        i.label for i in services.form_items(officer=org.officer_a, campaign=org.campaign)
    ]
    assert "是否违规使用警车" in keys_station and len(keys_station) == 7
    assert "是否违规使用警车" not in keys_court and len(keys_court) == 6


def test_s5_config_change_does_not_alter_a_submitted_version(client, org):
    item = services.item_config_create(
        campaign=org.campaign,
        unit=org.police_a,
        text="原事项",
        help_text="",
        kind="yesno",
        order=1,
        actor=org.office_staff,
    )
    version = submit(org.officer_a2, org.campaign, extra={f"item-{item.key}-yes": "no"})
    client.force_login(org.office_staff)
    services.item_config_update(item=item, actor=org.office_staff, text="改过的事项", kind="text")
    client.post(reverse("selfcheck:items"), {"toggle": item.pk})
    item.refresh_from_db()
    assert item.is_active is False
    version.refresh_from_db()
    labels = [i["label"] for i in version.content["items"]]
    assert "原事项" in labels and "改过的事项" not in labels
    assert version.answers.get(key=item.key).label == "原事项"
    client.force_login(org.reviewer)
    assert (
        "原事项"
        in client.get(reverse("selfcheck:report_detail", args=[version.report_id])).content.decode()
    )


def test_s5_text_and_date_n_items_are_validated(org):
    t = services.item_config_create(
        campaign=org.campaign,
        unit=org.district_a,
        text="本人岗位廉政风险点",
        help_text="",
        kind="text",
        order=1,
        actor=None,
    )
    d = services.item_config_create(
        campaign=org.campaign,
        unit=org.district_a,
        text="最近一次廉政谈话日期",
        help_text="",
        kind="date",
        order=2,
        actor=None,
    )
    items = services.form_items(officer=org.officer_a, campaign=org.campaign)
    errors = services.draft_errors(services.draft_from_post(FakePost(post_data()), items), items)
    assert errors[t.key] == ["第7项为必填：请填写"] and errors[d.key] == ["第8项请填写有效日期"]


# --- S7 and the leads API ---------------------------------------------------------------------


def test_s7_declarations_before_proves_early_declaration(org, django_assert_max_num_queries):
    v1 = submit(org.officer_a, org.campaign, yes=(ChronicProblem.BUSINESS,), business=[BIZ_ROW])
    submit(org.officer_b, org.campaign)
    late = timezone.make_aware(
        dt.datetime.combine(org.campaign.selfcheck_deadline + dt.timedelta(days=2), dt.time(9))
    )
    report = services.report_for_officer(officer=org.officer_a2, campaign=org.campaign)
    services.report_submit(
        report=report,
        draft=services.draft_from_post(
            FakePost(post_data(yes=(ChronicProblem.INTERFERENCE,))),
            services.form_items(officer=org.officer_a2, campaign=org.campaign),
        ),
        actor=org.officer_a2.user,
        now=late,
    )
    ids = [org.officer_a.pk, org.officer_b.pk, org.officer_a2.pk]
    with django_assert_max_num_queries(2):
        result = selectors.declarations_before(
            officer_ids=ids, before=timezone.now() + dt.timedelta(days=60)
        )
    assert result == {org.officer_a.pk: {"business": v1.submitted_at}}  # a2 was outside the window
    assert selectors.declarations_before(officer_ids=ids, before=v1.submitted_at) == {}


def test_it_selectors_api_for_leads(org):
    lending = {
        "counterparty": "钱某某",
        "amount": "50000",
        "date": "2020-01-01",
        "duty_relation": "辖区企业主",
    }
    submit(
        org.officer_a,
        org.campaign,
        yes=(ChronicProblem.BUSINESS, ChronicProblem.LENDING),
        business=[BIZ_ROW],
        lending=[lending],
    )
    submit(org.officer_b, org.campaign)
    ids = set(selectors.officer_ids_with_any_declaration(campaign=org.campaign))
    assert ids == {org.officer_a.pk}
    assert set(selectors.officer_ids_with_any_declaration()) == {org.officer_a.pk}
    assert selectors.declared_names(officer=org.officer_a) == {
        "王芳",
        BIZ_ROW["enterprise"],
        "钱某某",
    }
    assert selectors.declared_names(officer=org.officer_b) == set()
    assert selectors.declared_names(officer=org.officer_a2) == set()
    # a later version without "yes" is what counts for "latest"
    report = org.officer_a.selfchecks.get()
    services.report_return(report=report, actor=org.reviewer, reason="x")
    submit(org.officer_a, org.campaign)
    assert set(selectors.officer_ids_with_any_declaration(campaign=org.campaign)) == set()
    assert selectors.declared_names(officer=org.officer_a) == set()
    assert VersionAnswer.objects.filter(yes=True).count() == 2
