"""S2 warning-education cases: publishing needs a leader's approval (O6); officers
confirm they read a case, with coverage per unit."""

from __future__ import annotations

import pytest
from django.urls import reverse

from selfcheck import selectors
from selfcheck.models import CaseRead, CaseStatus

pytestmark = pytest.mark.django_db


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
