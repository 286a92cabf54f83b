"""Every page renders for the roles that use it; outsiders get 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from rectify.models import ChronicProblem
from selfcheck import services
from selfcheck.models import Question

from .conftest import BIZ_ROW, submit

pytestmark = pytest.mark.django_db


def test_it_renders_every_page(client, org, submitted_a):
    v2_report = submitted_a
    services.report_return(report=v2_report, actor=org.reviewer, reason="补充")
    submit(
        org.officer_a,
        org.campaign,
        yes=(ChronicProblem.BUSINESS,),
        business=[BIZ_ROW, {**BIZ_ROW, "name": "李"}],
    )
    services.question_ask(report=v2_report, text="家属持股要填吗？", actor=org.officer_a.user)
    case = services.warning_case_create(
        unit=org.district_a,
        title="某某违规经商案",
        body="案情",
        lesson="启示",
        category="business",
        actor=org.office_staff,
    )
    pages = {
        org.officer_a.user: [
            reverse("selfcheck:my_report"),
            reverse("selfcheck:report_detail", args=[v2_report.pk]),
            reverse("selfcheck:report_print", args=[v2_report.pk]),
            reverse("selfcheck:version_diff", args=[v2_report.pk]),
            reverse("selfcheck:cases"),
            reverse("selfcheck:notices"),
            reverse("home"),
        ],
        org.reviewer: [
            reverse("selfcheck:queue"),
            reverse("selfcheck:queue") + "?status=submitted&cadre=0&yes_item=business&late=on&q=张",
            reverse("selfcheck:report_detail", args=[v2_report.pk]),
            reverse("selfcheck:version_diff", args=[v2_report.pk]) + "?a=1&b=2",
            reverse("selfcheck:figures"),
            reverse("selfcheck:talks"),
            reverse("home"),
        ],
        org.office_staff: [
            reverse("selfcheck:items"),
            reverse("selfcheck:cases"),
            reverse("selfcheck:figures"),
            reverse("selfcheck:talks"),
            reverse("home"),
        ],
        org.chief: [
            reverse("selfcheck:figures"),
            reverse("selfcheck:figures") + f"?unit={org.district_a.pk}",
            reverse("selfcheck:cases"),
            reverse("selfcheck:case_detail", args=[case.pk]),
            reverse("home"),
        ],
    }
    for user, urls in pages.items():
        client.force_login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (user, url, response.status_code)
    assert Question.objects.count() == 1
