"""Need to know: an officer sees only their own report; a reviewer only their subtree."""

from __future__ import annotations

import pytest
from django.urls import reverse

from rectify.models import AuditEvent
from selfcheck import services
from selfcheck.access import (
    get_selfcheck_for_user,
    selfcheck_questions_visible_to,
    selfchecks_visible_to,
)
from tests.factories import UserFactory, grant

from .conftest import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def report_b(org):
    return submit(org.officer_b, org.campaign).report


def test_it_officer_cannot_see_anothers_report(client, org, submitted_a):
    client.force_login(org.officer_a2.user)
    for name in ("report_detail", "report_print", "version_diff"):
        assert client.get(reverse(f"selfcheck:{name}", args=[submitted_a.pk])).status_code == 404
    assert client.post(reverse("selfcheck:report_accept", args=[submitted_a.pk])).status_code == 404
    assert list(selfchecks_visible_to(org.officer_a2.user)) == []


def test_it_reviewer_of_district_a_cannot_see_district_b(client, org, submitted_a, report_b):
    assert set(selfchecks_visible_to(org.reviewer)) == {submitted_a}
    client.force_login(org.reviewer)
    assert client.get(reverse("selfcheck:report_detail", args=[report_b.pk])).status_code == 404
    assert client.post(reverse("selfcheck:report_accept", args=[report_b.pk])).status_code == 404
    assert client.get(reverse("selfcheck:report_detail", args=[submitted_a.pk])).status_code == 200


def test_it_leaders_office_and_superusers_do_not_read_reports(org, submitted_a):
    for user in (org.chief, org.office_staff, org.admin, org.unit_head.user, org.outsider):
        assert not selfchecks_visible_to(user).exists(), user
    with pytest.raises(Exception):  # noqa: B017 - Http404
        get_selfcheck_for_user(org.chief, submitted_a.pk)


def test_it_audits_reads_by_others_not_by_the_owner(client, org, submitted_a):
    url = reverse("selfcheck:report_detail", args=[submitted_a.pk])
    client.force_login(org.officer_a.user)
    client.get(url)
    assert not AuditEvent.objects.filter(action="selfcheck.report.read").exists()
    client.force_login(org.reviewer)
    client.get(url)
    event = AuditEvent.objects.get(action="selfcheck.report.read")
    assert event.actor_id == org.reviewer.pk and event.object_id == str(submitted_a.pk)


def test_it_reviewer_cannot_review_own_report(client, org):
    reviewer_officer = submit(org.handler, org.campaign).report  # handler is in police_a
    grant(org.handler.user, "reviewer", org.district_a)
    client.force_login(org.handler.user)
    client.post(reverse("selfcheck:report_accept", args=[reviewer_officer.pk]))
    reviewer_officer.refresh_from_db()
    assert reviewer_officer.status == "submitted"


def test_s6_question_thread_visible_only_to_officer_and_subtree_reviewers(client, org, submitted_a):
    question = services.question_ask(
        report=submitted_a, text="子女在外地开店要填吗？", actor=org.officer_a.user
    )
    other_reviewer = UserFactory(username="reviewer_b")
    grant(other_reviewer, "reviewer", org.district_b)
    assert list(selfcheck_questions_visible_to(org.officer_a.user)) == [question]
    assert list(selfcheck_questions_visible_to(org.reviewer)) == [question]
    for user in (org.officer_a2.user, other_reviewer, org.chief, org.admin, org.outsider):
        assert not selfcheck_questions_visible_to(user).exists(), user
    client.force_login(other_reviewer)
    url = reverse("selfcheck:question_answer", args=[question.pk])
    assert client.post(url, {"text": "要"}).status_code == 404
    client.force_login(org.reviewer)
    response = client.post(url, {"text": "需要在第2项填报。"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "需要在第2项填报" in response.content.decode()
    question.refresh_from_db()
    assert question.answered_by == org.reviewer
    notice = org.officer_a.user.selfcheck_notices.get(text__contains="咨询已答复")
    client.force_login(org.officer_a.user)
    page = client.get(reverse("selfcheck:my_report")).content.decode()
    assert "需要在第2项填报。" in page and notice.url.endswith("#questions")


def test_s6_office_answers_from_the_questions_page(client, org, submitted_a):
    question = services.question_ask(
        report=submitted_a, text="借款已还清还要填吗？", actor=org.officer_a.user
    )
    client.force_login(org.outsider)  # office of district_b
    assert "借款已还清" not in client.get(reverse("selfcheck:questions")).content.decode()
    assert (
        client.post(
            reverse("selfcheck:question_answer", args=[question.pk]), {"text": "x"}
        ).status_code
        == 404
    )
    client.force_login(org.office_staff)
    assert "借款已还清" in client.get(reverse("selfcheck:questions")).content.decode()
    client.post(
        reverse("selfcheck:question_answer", args=[question.pk]), {"text": "需要如实填报。"}
    )
    question.refresh_from_db()
    assert question.answer == "需要如实填报。"
    client.force_login(org.officer_a.user)
    assert client.get(reverse("selfcheck:questions")).status_code == 403


@pytest.mark.parametrize("who", ["outsider", "officer_b", "chief", "admin", "officer_a2", "intake"])
def test_it_object_urls_give_404_outside_scope(client, org, submitted_a, who):
    user = getattr(org, who)
    user = getattr(user, "user", user)
    question = services.question_ask(report=submitted_a, text="q", actor=org.officer_a.user)
    client.force_login(user)
    pk = submitted_a.pk
    for method, name, args in [
        ("get", "report_detail", [pk]),
        ("get", "report_print", [pk]),
        ("get", "version_diff", [pk]),
        ("post", "report_accept", [pk]),
        ("post", "report_return", [pk]),
        ("post", "question_answer", [question.pk]),
    ]:
        response = getattr(client, method)(
            reverse(f"selfcheck:{name}", args=args), {"text": "x", "reason": "x"}
        )
        assert response.status_code == 404, (who, name, response.status_code)
    submitted_a.refresh_from_db()
    assert submitted_a.status == "submitted"


def test_it_audits_the_review_queue_listing(client, org, submitted_a):
    client.force_login(org.reviewer)
    client.get(reverse("selfcheck:queue") + "?status=submitted")
    event = AuditEvent.objects.get(action="selfcheck.queue.read")
    assert event.summary["ids"] == [submitted_a.pk] and event.summary["filters"] == {
        "status": "submitted"
    }
