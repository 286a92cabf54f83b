"""生成整改问题 from a lead and from a self-check declaration, the link both ways, recusal,
need to know on the source, 404 for invisible items, audited evidence downloads."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from rectify.models import AuditEvent, ChronicProblem
from remediation import services
from remediation.models import Item, ItemOrigin
from tests.factories import ItemFactory, PlanFactory
from tests.selfcheck.conftest import submit

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%%EOF\n"


def _form(**kw):
    data = {
        "description": "民警违规过问他人案件",
        "kind": "typical",
        "deadline": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
    }
    data.update(kw)
    return data


def test_r4_generate_item_from_lead_keeps_the_link_both_ways(client, org, plan, make_lead):
    lead = make_lead(subjects=[org.unit_head])
    client.force_login(org.office_staff)
    page = client.get(reverse("leads:detail", args=[lead.pk])).content.decode()
    url = reverse("remediation:item_from_lead", args=[lead.pk])
    assert url in page  # 生成整改问题 on the lead page
    form = client.get(url).content.decode()
    assert "机密" not in form  # the lead's content is not copied
    response = client.post(url, _form(responsible_unit=str(org.police_a.pk)))
    assert response.status_code == 302
    item = Item.objects.get()
    assert (item.origin, item.source_lead, item.plan) == (ItemOrigin.LEAD, lead, plan)
    assert "机密" not in item.description
    page = client.get(reverse("leads:detail", args=[lead.pk])).content.decode()
    assert item.number in page and "remediation-items" in page
    item_page = client.get(reverse("remediation:item_detail", args=[item.pk])).content.decode()
    assert 'id="source-lead"' in item_page

    # Recusal: the unit head is a subject of the lead: the item does not exist for them.
    client.force_login(org.unit_head.user)
    assert client.get(reverse("remediation:item_detail", args=[item.pk])).status_code == 404
    assert item.number not in client.get(reverse("remediation:ledger")).content.decode()


def test_r4_item_from_lead_shows_no_lead_to_who_cannot_see_it(client, org, plan, make_lead):
    lead = make_lead()
    item = services.item_create(
        plan=plan,
        actor=org.office_staff,
        description="过问案件问题",
        kind="frequent",
        origin=ItemOrigin.LEAD,
        source_lead=lead,
        deadline=timezone.localdate(),
    )
    client.force_login(org.unit_head.user)  # reads police_a's items, not this lead
    page = client.get(reverse("remediation:item_detail", args=[item.pk])).content.decode()
    assert "过问案件问题" in page and "问题线索" in page
    assert 'id="source-lead"' not in page and lead.number not in page
    assert "机密" not in page


def test_r4_generate_from_lead_without_plan_says_so(client, org, make_lead):
    lead = make_lead(category="lending")
    client.force_login(org.office_staff)
    response = client.get(reverse("remediation:item_from_lead", args=[lead.pk]))
    assert response.status_code == 409
    body = response.content.decode()
    assert "尚无对应的整治方案" in body
    assert (
        f"{reverse('remediation:plan_create')}?unit={org.police_a.pk}&amp;problem=lending" in body
    )
    # Who may not manage the lead gets no button and a refusal.
    client.force_login(org.unit_head.user)
    assert client.get(reverse("remediation:item_from_lead", args=[lead.pk])).status_code == 404


def test_r4_generate_item_from_selfcheck_declaration(client, org):
    PlanFactory(campaign=org.campaign, unit=org.court_a, problem="interference")
    report = submit(org.officer_a, org.campaign, yes=(ChronicProblem.INTERFERENCE,)).report
    client.force_login(org.reviewer)
    page = client.get(reverse("selfcheck:report_detail", args=[report.pk])).content.decode()
    url = reverse("remediation:item_from_report", args=[report.pk, "interference"])
    assert url in page
    # Only declared problems can be generated.
    missing = reverse("remediation:item_from_report", args=[report.pk, "lending"])
    assert client.get(missing).status_code == 404
    response = client.post(url, _form(responsible_unit=str(org.court_a.pk), subjects="A001"))
    assert response.status_code == 302
    item = Item.objects.get()
    assert (item.origin, item.source_report, item.source_item_key) == (
        ItemOrigin.SELFCHECK,
        report,
        "interference",
    )
    assert list(item.subjects.all()) == [org.officer_a]
    # The officer the item is about never sees it (recusal), the office does.
    client.force_login(org.office_staff)
    assert client.get(reverse("remediation:item_detail", args=[item.pk])).status_code == 200
    client.force_login(org.officer_a.user)
    assert client.get(reverse("remediation:item_detail", args=[item.pk])).status_code == 404


def test_it_answers_404_for_invisible_and_missing_items(client, org, plan):
    item = ItemFactory(plan=plan)
    client.force_login(org.outsider)
    for url in (
        reverse("remediation:item_detail", args=[item.pk]),
        reverse("remediation:item_detail", args=[999999]),
        reverse("remediation:plan_detail", args=[plan.pk]),
    ):
        assert client.get(url).status_code == 404
    assert AuditEvent.objects.filter(action="remediation.item.denied").count() == 2
    client.force_login(org.officer_b.user)
    assert client.post(reverse("remediation:measure_add", args=[item.pk]), {}).status_code == 404


def test_it_audits_evidence_downloads_and_hides_them_from_outsiders(client, org, plan):
    item = ItemFactory(plan=plan)
    evidence = services.evidence_add(
        item=item,
        actor=org.office_staff,
        upload=SimpleUploadedFile("记录.pdf", PDF, content_type="application/pdf"),
    )
    url = reverse("remediation:evidence_download", args=[item.pk, evidence.pk])
    client.force_login(org.chief)
    response = client.get(url)
    assert response.status_code == 200 and response.content == PDF
    assert response["Content-Disposition"].startswith("attachment")
    event = AuditEvent.objects.filter(action="remediation.document.downloaded").get()
    assert event.object_id == str(item.pk) and event.summary["name"] == "记录.pdf"
    client.force_login(org.outsider)
    assert client.get(url).status_code == 404
    other = ItemFactory(plan=PlanFactory(campaign=org.campaign, unit=org.court_a))
    client.force_login(org.chief)
    wrong = reverse("remediation:evidence_download", args=[other.pk, evidence.pk])
    assert client.get(wrong).status_code == 404
