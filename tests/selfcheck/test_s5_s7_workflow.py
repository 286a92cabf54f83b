from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from rectify.models import AuditEvent, ChronicProblem
from selfcheck import services
from selfcheck.models import (
    ReportStatus,
    ReportVersion,
    uscc_is_valid,
)

from .conftest import BIZ_ROW, VALID_USCC, draft_of, post_data, submit

pytestmark = pytest.mark.django_db


def test_it_validates_uscc_check_digit():
    assert uscc_is_valid(VALID_USCC)
    assert not uscc_is_valid(VALID_USCC[:-1] + "4")
    assert not uscc_is_valid("12345")
    assert not uscc_is_valid("91350100M000100YI3")  # I is not in the GB 32100 alphabet


def test_s5_item2_yes_needs_a_business_row(org):
    draft = draft_of(org.officer_a, org.campaign, yes=(ChronicProblem.BUSINESS,))
    report = services.report_for_officer(officer=org.officer_a, campaign=org.campaign)
    with pytest.raises(services.SelfCheckError) as exc:
        services.report_submit(report=report, draft=draft, actor=org.officer_a.user)
    assert "第2项选择“是”：至少填写一行经商办企业信息" in exc.value.messages


def test_s5_invalid_credit_code_is_named(org):
    bad = {**BIZ_ROW, "uscc": VALID_USCC[:-1] + "4"}
    draft = draft_of(org.officer_a, org.campaign, yes=(ChronicProblem.BUSINESS,), business=[bad])
    report = services.report_for_officer(officer=org.officer_a, campaign=org.campaign)
    with pytest.raises(services.SelfCheckError) as exc:
        services.report_submit(report=report, draft=draft, actor=org.officer_a.user)
    assert any("第2项第1行" in m and "统一社会信用代码" in m for m in exc.value.messages)


def test_s5_unanswered_item_is_named(org):
    data = post_data()
    del data[f"item-{ChronicProblem.SENTENCE}-yes"]
    client_draft = services.draft_from_post(
        data, services.form_items(officer=org.officer_a, campaign=org.campaign)
    )
    errors = services.draft_errors(
        client_draft, services.form_items(officer=org.officer_a, campaign=org.campaign)
    )
    assert errors[ChronicProblem.SENTENCE] == ["第4项未作选择：请选择“是”或“否”"]


def test_s5_business_rows_are_structured(org, submitted_a):
    version = submitted_a.latest_version
    row = version.business.get()
    assert (row.relation, row.name, row.enterprise, row.uscc) == (
        "spouse",
        "王芳",
        BIZ_ROW["enterprise"],
        VALID_USCC,
    )
    assert version.answers.get(key=ChronicProblem.BUSINESS).yes is True


def test_s7_lifecycle_submit_return_resubmit_accept(org, submitted_a):
    report = submitted_a
    assert report.status == ReportStatus.SUBMITTED
    v1 = report.latest_version
    services.report_return(report=report, actor=org.reviewer, reason="请补充子女经商情况")
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED and report.return_reason
    child = {
        **BIZ_ROW,
        "relation": "child",
        "name": "张小明",
        "enterprise": "某某科技公司",
        "uscc": "",
    }
    v2 = submit(
        org.officer_a, org.campaign, yes=(ChronicProblem.BUSINESS,), business=[BIZ_ROW, child]
    )
    assert v2.number == 2 and v2.content_hash != v1.content_hash
    v1.refresh_from_db()
    assert v1.content["business"] == [BIZ_ROW]  # the first submission is untouched
    services.report_accept(report=v2.report, actor=org.reviewer)
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED
    diff = services.versions_diff(v1, v2)
    assert diff.business_added == [child] and not diff.business_removed
    assert ReportVersion.objects.filter(report=report).count() == 2
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "selfcheck.report.submitted",
        "selfcheck.report.returned",
        "selfcheck.report.accepted",
    } <= actions


def test_s7_versions_are_never_overwritten(org, submitted_a):
    version = submitted_a.latest_version
    version.content = {}
    with pytest.raises(Exception):  # noqa: B017 - any refusal
        version.save()
    with pytest.raises(Exception):  # noqa: B017
        ReportVersion.objects.filter(pk=version.pk).update(in_window=False)


def test_s7_in_window_flag_uses_the_officers_deadline(org):
    late_for_cadre = dt.datetime.combine(
        org.campaign.cadre_deadline + dt.timedelta(days=1), dt.time(12), tzinfo=dt.UTC
    )
    report = services.report_for_officer(officer=org.cadre_a, campaign=org.campaign)
    v = services.report_submit(
        report=report,
        draft=draft_of(org.cadre_a, org.campaign),
        actor=org.cadre_a.user,
        now=late_for_cadre,
    )
    assert v.in_window is False
    report = services.report_for_officer(officer=org.officer_a, campaign=org.campaign)
    v = services.report_submit(
        report=report,
        draft=draft_of(org.officer_a, org.campaign),
        actor=org.officer_a.user,
        now=late_for_cadre,
    )
    assert v.in_window is True


def test_it_refuses_return_without_reason(org, submitted_a):
    with pytest.raises(services.SelfCheckError) as exc:
        services.report_return(report=submitted_a, actor=org.reviewer, reason=" ")
    assert exc.value.messages == [str(services.RETURN_NEEDS_REASON)]


def test_it_refuses_editing_a_submitted_report(org, submitted_a):
    with pytest.raises(services.SelfCheckError):
        services.report_save_draft(report=submitted_a, draft={}, actor=org.officer_a.user)


def test_s4_form_shows_policy_and_the_cadre_deadline(client, org):
    client.force_login(org.cadre_a.user)
    response = client.get(reverse("selfcheck:my_report"))
    text = response.content.decode()
    assert "自查从宽、被查从严" in text
    assert str(org.campaign.cadre_deadline) in text and "领导干部" in text
    client.force_login(org.officer_a.user)
    text = client.get(reverse("selfcheck:my_report")).content.decode()
    assert str(org.campaign.selfcheck_deadline) in text


def test_it_autosaves_a_draft_over_htmx(client, org):
    client.force_login(org.officer_a.user)
    data = post_data(yes=(ChronicProblem.BUSINESS,), business=[{**BIZ_ROW, "uscc": ""}])
    response = client.post(reverse("selfcheck:my_report_autosave"), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "已自动保存" in response.content.decode()
    report = org.officer_a.selfchecks.get()
    assert report.draft["business"][0]["name"] == "王芳"
    # the draft comes back in the form
    assert "秦皇岛某某贸易有限公司" in client.get(reverse("selfcheck:my_report")).content.decode()


def test_it_submits_through_the_form_with_specific_errors(client, org):
    client.force_login(org.officer_a.user)
    bad = post_data(yes=(ChronicProblem.BUSINESS,))
    response = client.post(reverse("selfcheck:my_report_submit"), bad)
    assert response.status_code == 422
    assert "第2项选择“是”：至少填写一行经商办企业信息" in response.content.decode()
    response = client.post(
        reverse("selfcheck:my_report_submit"),
        post_data(yes=(ChronicProblem.BUSINESS,), business=[BIZ_ROW]),
    )
    assert response.status_code == 302
    assert org.officer_a.selfchecks.get().status == ReportStatus.SUBMITTED


def test_it_reviewer_accepts_and_returns_through_views(client, org, submitted_a):
    client.force_login(org.reviewer)
    url = reverse("selfcheck:report_return", args=[submitted_a.pk])
    client.post(url, {"reason": "请补充"})
    submitted_a.refresh_from_db()
    assert submitted_a.status == ReportStatus.RETURNED
    assert org.officer_a.user.selfcheck_notices.filter(text__contains="请补充").exists()


def test_s7_diff_shows_added_removed_and_changed(client, org, submitted_a):
    v1 = submitted_a.latest_version
    services.report_return(report=submitted_a, actor=org.reviewer, reason="补充")
    changed = {**BIZ_ROW, "shareholding": "60%"}
    lending = {"counterparty": "钱某", "amount": "1000", "date": "2020-01-01", "duty_relation": ""}
    v2 = submit(
        org.officer_a,
        org.campaign,
        yes=(ChronicProblem.BUSINESS, ChronicProblem.LENDING, ChronicProblem.INTERFERENCE),
        business=[changed],
        lending=[lending],
    )
    diff = services.versions_diff(v1, v2)
    states = {i["number"]: i["state"] for i in diff.items}
    assert states[1] == "changed" and states[3] == "changed" and states[4] == "same"
    assert diff.business_changed[0]["fields"] == ["shareholding"]
    assert not diff.business_added and not diff.business_removed
    assert diff.lending_added == [lending]
    back = services.versions_diff(v2, v1)
    assert back.lending_removed == [lending]
    client.force_login(org.reviewer)
    text = client.get(
        reverse("selfcheck:version_diff", args=[submitted_a.pk]) + "?a=1&b=2"
    ).content.decode()
    assert "60%" in text and "30%" in text and "钱某" in text


def test_it_keeps_the_draft_when_submission_is_refused(client, org):
    client.force_login(org.officer_a.user)
    bad = post_data(
        yes=(ChronicProblem.BUSINESS,),
        extra={f"item-{ChronicProblem.BUSINESS}-details": "配偶开店"},
    )
    client.post(reverse("selfcheck:my_report_submit"), bad)
    report = org.officer_a.selfchecks.get()
    assert report.status == ReportStatus.DRAFT and report.versions.count() == 0
    assert report.draft["answers"][ChronicProblem.BUSINESS]["details"] == "配偶开店"


def test_s7_version_hash_is_verifiable(org, submitted_a):
    version = ReportVersion.objects.get(pk=submitted_a.latest_version_id)
    assert version.hash_matches()
    version.content["items"][0]["yes"] = True  # tampering in memory is detected
    assert not version.hash_matches()
