"""Review queue: filters, search, keyset pagination, constant queries; export; reminders."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from rectify.models import ChronicProblem
from selfcheck import services
from tests.factories import OfficerFactory, UserFactory

from .conftest import BIZ_ROW, submit

pytestmark = pytest.mark.django_db


def _make_reports(org, n, start=0):
    for i in range(start, start + n):
        officer = OfficerFactory(
            unit=org.station_a1 if i % 2 else org.court_a, number=f"Q{i:04d}", name=f"干警{i}"
        )
        submit(
            officer,
            org.campaign,
            yes=(ChronicProblem.BUSINESS,) if i % 5 == 0 else (),
            business=[BIZ_ROW] if i % 5 == 0 else (),
        )


def _queue_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def test_it_review_queue_has_constant_queries_for_10_and_200(client, org):
    client.force_login(org.reviewer)
    url = reverse("selfcheck:queue")
    _make_reports(org, 10)
    small, _ = _queue_queries(client, url)
    _make_reports(org, 190, start=10)
    big, response = _queue_queries(client, url)
    assert small == big
    assert response.content.decode().count("/selfcheck/reports/") >= 50


def test_it_review_queue_paginates_by_keyset(client, org):
    _make_reports(org, 60)
    client.force_login(org.reviewer)
    first = client.get(reverse("selfcheck:queue"))
    cursor = first.context["page"].next_cursor
    assert cursor and len(first.context["page"].items) == 50
    second = client.get(reverse("selfcheck:queue") + f"?after={cursor}")
    ids1 = {r.pk for r in first.context["page"].items}
    ids2 = {r.pk for r in second.context["page"].items}
    assert len(ids2) == 10 and not ids1 & ids2


def test_it_review_queue_filters(client, org):
    _make_reports(org, 10)
    submit(org.cadre_a, org.campaign)
    client.force_login(org.reviewer)
    url = reverse("selfcheck:queue")

    def names(query):
        return {r.officer.name for r in client.get(url + query).context["page"].items}

    assert names("?yes_item=business") == {"干警0", "干警5"}
    assert names("?cadre=1") == {"赵院长"}
    assert names("?q=干警1") == {"干警1"}
    assert names("?q=Q0003") == {"干警3"}
    assert names(f"?unit={org.station_a1.pk}") == {f"干警{i}" for i in range(1, 10, 2)}
    assert names("?status=accepted") == set()
    assert names("?late=on") == set()


def test_it_export_escapes_formulas(client, org):
    evil = OfficerFactory(unit=org.court_a, name='=HYPERLINK("http://x")', number="X1")
    submit(evil, org.campaign)
    services.report_return(
        report=evil.selfchecks.get(), actor=org.reviewer, reason="+cmd|' /C calc'!A0"
    )
    client.force_login(org.reviewer)
    response = client.get(reverse("selfcheck:export"))
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(wb.active.iter_rows(values_only=True))
    assert rows[0][0] == "单位"
    row = next(r for r in rows if r[1] == "X1")
    assert row[2].startswith("'=") and row[-1].startswith("'+")


def test_it_export_is_scoped(client, org, submitted_a):
    submit(org.officer_b, org.campaign)
    client.force_login(org.reviewer)
    response = client.get(reverse("selfcheck:export"))
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    numbers = {r[1] for r in wb.active.iter_rows(min_row=2, values_only=True)}
    assert numbers == {"A001"}


def test_it_bulk_reminder_notifies_non_submitters_once_a_day(
    client, org, submitted_a, django_capture_on_commit_callbacks
):
    org.officer_a2.user.email = "a2@example.org"
    org.officer_a2.user.save()
    client.force_login(org.reviewer)
    from django.core import mail

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("selfcheck:remind"))
    notified = set(
        UserFactory._meta.model.objects.filter(selfcheck_notices__isnull=False).values_list(
            "username", flat=True
        )
    )
    assert "officer_a2" in notified and "cadre_a" in notified
    assert "officer_a" not in notified  # submitted
    assert "officer_b" not in notified  # other district
    client.post(reverse("selfcheck:remind"))
    assert org.officer_a2.user.selfcheck_notices.count() == 1
    assert any("a2@example.org" in m.to for m in mail.outbox)


def test_s3_daily_reminder_reaches_cadres_before_their_earlier_deadline(org):
    import datetime as dt

    from django.core.management import call_command

    from selfcheck.tasks import selfcheck_send_reminders

    day = org.campaign.cadre_deadline - dt.timedelta(days=1)
    assert services.reminders_due(today=day) == 2  # 赵院长, 周局长 (not yet general officers)
    assert services.reminders_due(today=day) == 0  # idempotent the same day
    assert org.cadre_a.user.selfcheck_notices.count() == 1
    assert not org.officer_a.user.selfcheck_notices.exists()
    selfcheck_send_reminders.delay()
    call_command("selfcheck_remind")


def test_s3_figures_export_for_leaders_cadres_first(client, org, submitted_a):
    client.force_login(org.chief)
    response = client.get(reverse("selfcheck:figures_export") + f"?unit={org.district_a.pk}")
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(wb.active.iter_rows(values_only=True))
    assert rows[0][1] == "领导干部应填报" and rows[0][6] == "应填报"
    assert rows[1][0] == "甲区" and rows[1][7] == 1  # one submitted
    client.force_login(org.outsider)
    assert (
        client.get(reverse("selfcheck:figures_export") + f"?unit={org.district_a.pk}").status_code
        == 404
    )


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_it_questions_talks_and_cases_lists_have_constant_queries(client, org, submitted_a):
    from selfcheck.models import TalkTrigger

    services.talk_triggers_ensure()
    trigger = TalkTrigger.objects.first()

    def add(n, start):
        for i in range(start, start + n):
            services.question_ask(report=submitted_a, text=f"问题{i}", actor=org.officer_a.user)
            services.talk_record(
                campaign=org.campaign,
                officer=org.officer_a,
                talker=org.cadre_a,
                talked_on=org.campaign.selfcheck_start,
                trigger=trigger,
                points="p",
                actor=org.reviewer,
            )
            services.warning_case_create(
                unit=org.district_a,
                title=f"案例{i}",
                body="b",
                lesson="",
                category="",
                actor=org.office_staff,
            )

    add(10, 0)
    client.force_login(org.reviewer)
    small = [
        _count(client, reverse("selfcheck:questions")),
        _count(client, reverse("selfcheck:talks")),
    ]
    client.force_login(org.office_staff)
    small.append(_count(client, reverse("selfcheck:cases")))
    add(190, 10)
    client.force_login(org.reviewer)
    big = [
        _count(client, reverse("selfcheck:questions")),
        _count(client, reverse("selfcheck:talks")),
    ]
    client.force_login(org.office_staff)
    big.append(_count(client, reverse("selfcheck:cases")))
    assert small == big


def test_it_office_reminds_from_figures_and_open_redirects_are_refused(client, org):
    client.force_login(org.office_staff)
    assert "一键提醒未提交人员" in client.get(reverse("selfcheck:figures")).content.decode()
    response = client.post(reverse("selfcheck:remind"), {"next": "https://evil.example/"})
    assert response.status_code == 302 and "evil" not in response["Location"]
    assert org.officer_a.user.selfcheck_notices.exists()
    assert not org.officer_b.user.selfcheck_notices.exists()
