"""Lead pages: the public reporting page (L1), intake overdue (L2), recusal, need to know,
signing through the browser forms (L9), the ledger's constant query count."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from leads import services
from leads.models import Lead, LeadConclusion, LeadEvent, LeadStatus, Signature
from rectify.models import AuditEvent
from tests.factories import OfficerFactory

pytestmark = pytest.mark.django_db

REPORT = {
    "category": "umbrella",
    "subject": "钱某",
    "subject_unit": "甲区公安分局",
    "summary": "钱某长期为某涉黑团伙通风报信，收受好处费",
}


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def submit_public(client, org, **extra):
    data = {"office": org.office_a.pk, **REPORT, **extra}
    return client.post(reverse("leads:public_report"), data, REMOTE_ADDR="203.0.113.9", follow=True)


def code_of(response) -> str:
    match = re.search(r'id="receipt-code">([0-9A-Z-]+)<', response.content.decode())
    assert match, "receipt code not shown"
    return match.group(1)


# --- L1 public page -----------------------------------------------------------------------


def test_l1_public_page_creates_an_unregistered_lead_without_login(client, org):
    assert client.get(reverse("leads:public_report")).status_code == 200
    response = submit_public(client, org)
    assert response.status_code == 200
    code = code_of(response)
    assert len(code.replace("-", "")) == 20
    lead = Lead.objects.get()
    assert lead.status == LeadStatus.UNREGISTERED and lead.is_public and lead.number is None
    assert lead.channel.code == "online" and lead.office == org.office_a
    assert lead.receipt_hash and code not in lead.receipt_hash
    assert list(lead.subjects.values_list("name", flat=True)) == ["钱某"]
    # in the intake queue of the office, not of the other office
    client.force_login(org.intake)
    assert lead.summary[:10] in client.get(reverse("leads:intake")).content.decode()
    client.force_login(org.outsider)
    assert lead.summary[:10] not in client.get(reverse("leads:intake")).content.decode()


def test_l1_public_report_stores_no_ip_or_user_agent(client, org):
    submit_public(client, org, reporter_contact="", HTTP_USER_AGENT="Mozilla/5.0 Test-UA")
    lead = Lead.objects.get()
    row = Lead.objects.filter(pk=lead.pk).values().get()
    dump = repr(row) + repr(list(LeadEvent.objects.values()))
    assert "203.0.113.9" not in dump and "Test-UA" not in dump
    events = AuditEvent.objects.filter(object_id=str(lead.pk))
    assert events.exists() and all(e.ip is None and e.actor_id is None for e in events)


def test_l1_public_page_is_rate_limited(client, org, settings):
    settings.LEADS_PUBLIC_RATE = 2
    assert submit_public(client, org).status_code == 200
    assert submit_public(client, org).status_code == 200
    assert submit_public(client, org).status_code == 429
    assert Lead.objects.count() == 2


def test_l1_reporter_reads_status_and_replies_only(client, org, hotline):
    code = code_of(submit_public(client, org))
    lead = Lead.objects.get()
    services.lead_register(
        office=org.office_a,
        actor=org.intake,
        received_date=timezone.localdate(),
        channel=lead.channel,
        category=lead.category,
        summary=lead.summary,
        lead=lead,
    )
    services.lead_add_event(lead=lead, actor=org.office_staff, kind="note", text="内部记录勿外传")
    services.lead_reply(lead=lead, actor=org.office_staff, text="您反映的问题已受理")
    client.logout()
    status = reverse("leads:public_status")
    response = client.post(status, {"code": code.lower().replace("-", " ")})
    page = response.content.decode()
    assert response.status_code == 200
    assert "已受理，正在筛查" in page and "您反映的问题已受理" in page
    assert "内部记录勿外传" not in page
    response = client.post(status, {"code": code, "op": "message", "text": "补充：时间是三月"})
    assert LeadEvent.objects.filter(lead=lead, kind="reporter").count() == 1
    wrong = client.post(status, {"code": "AAAA-AAAA-AAAA-AAAA-AAAA"})
    assert wrong.status_code == 404 and "补充：时间是三月" not in wrong.content.decode()


def test_l1_intake_registers_a_public_report_with_a_number(client, org):
    submit_public(client, org)
    lead = Lead.objects.get()
    client.force_login(org.intake)
    response = client.post(
        reverse("leads:register_existing", args=[lead.pk]),
        {
            "office": org.office_a.pk,
            "received_date": timezone.localdate().isoformat(),
            "channel": lead.channel_id,
            "category": "umbrella",
            "summary": lead.summary,
            "subjects": "A002",
            "reporter_anonymous": "on",
        },
    )
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.status == LeadStatus.REGISTERED
    assert lead.number == f"甲区-{timezone.localdate().year}-0001"
    assert lead.subjects.get().officer == org.officer_a2


# --- L2 overdue intake ----------------------------------------------------------------------


def test_l2_overdue_intake_shows_on_the_office_home(client, org, register, settings):
    settings.LEADS_INTAKE_DAYS = 7
    old = timezone.localdate() - dt.timedelta(days=8)
    register(received_date=old)
    register()  # fresh: not overdue
    client.force_login(org.office_staff)
    page = client.get(reverse("home")).content.decode()
    assert re.search(r"受理逾期.{0,200}?>\s*1\s*<", page, re.S), page
    queue = client.get(reverse("leads:intake")).content.decode()
    assert queue.count("badge badge-danger") == 1


# --- recusal and need to know ---------------------------------------------------------------


def test_recusal_office_staff_who_is_a_subject_cannot_reach_the_lead(client, org, register):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from leads.services.attachments import attachment_add

    me = OfficerFactory(unit=org.district_a, user=org.office_staff, name="吴办公", number="A555")
    lead = register(subjects=[me], summary="反映吴办公收受礼金")
    other = register(summary="反映他人收受礼金")
    file = attachment_add(
        lead=lead, actor=org.intake, upload=SimpleUploadedFile("证据.txt", "礼金清单".encode())
    )
    client.force_login(org.office_staff)
    # attachment URL, duplicate check, screening, oversight board: the lead is not there
    url = reverse("leads:attachment", args=[lead.pk, file.pk])
    assert client.get(url).status_code == 404
    similar = client.get(reverse("leads:similar"), {"summary": "反映吴办公收受礼金"})
    assert lead.number not in similar.content.decode()
    assert lead.number not in client.get(reverse("leads:screening")).content.decode()
    assert lead.number not in client.get(reverse("leads:oversight")).content.decode()
    assert client.get(reverse("leads:archive_sheet", args=[lead.pk])).status_code == 404
    ledger = client.get(reverse("leads:ledger")).content.decode()
    assert other.number in ledger and lead.number not in ledger
    search = client.get(reverse("leads:ledger"), {"q": "礼金"}).content.decode()
    assert other.number in search and lead.number not in search
    assert client.get(reverse("leads:detail", args=[lead.pk])).status_code == 404
    action = reverse("leads:close", args=[lead.pk])
    assert client.post(action, {"reason": "x"}).status_code == 404
    assert lead.summary not in client.get(reverse("leads:intake")).content.decode()
    export = client.get(reverse("leads:ledger_export"))
    assert export.status_code == 200
    body = b"".join(export.streaming_content) if export.streaming else export.content
    from io import BytesIO

    from openpyxl import load_workbook

    values = {
        str(c.value)
        for ws in load_workbook(BytesIO(body)).worksheets
        for row in ws.iter_rows()
        for c in row
    }
    assert other.number in values and lead.number not in values


def test_recusal_applies_to_superusers_too(org, register):
    from leads.access import leads_visible_to

    OfficerFactory(unit=org.district_a, user=org.admin, number="ADM1")
    assert not leads_visible_to(org.admin).exists()
    lead = register(subjects=[org.handler])
    assert lead not in leads_visible_to(org.handler.user)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("intake", 200),
        ("office_staff", 200),
        ("chief", 200),
        ("handler", 200),
        ("unit_head", 200),
        ("outsider", 404),
        ("reviewer", 404),
        ("admin", 404),
        ("officer_a", 404),
    ],
)
def test_it_scopes_lead_detail_by_role(client, org, assigned, who, status):
    lead = assigned()
    user = getattr(org, who)
    client.force_login(getattr(user, "user", user))
    assert client.get(reverse("leads:detail", args=[lead.pk])).status_code == status


def test_it_audits_every_lead_read(client, org, register):
    lead = register()
    client.force_login(org.office_staff)
    client.get(reverse("leads:detail", args=[lead.pk]))
    client.get(reverse("leads:detail", args=[lead.pk]))
    reads = AuditEvent.objects.filter(action="leads.lead.read", object_id=str(lead.pk))
    assert reads.count() == 2 and reads.first().actor == org.office_staff


def test_it_reveals_the_reporter_only_to_intake_and_audits_it(client, org, register):
    lead = register(reporter_anonymous=False, reporter_name="刘举报", reporter_contact="139")
    url = reverse("leads:reveal", args=[lead.pk])
    client.force_login(org.office_staff)
    assert "刘举报" not in client.get(reverse("leads:detail", args=[lead.pk])).content.decode()
    assert client.post(url).status_code == 403
    client.force_login(org.chief)
    assert client.post(url).status_code == 403
    client.force_login(org.intake)
    response = client.post(url)
    assert response.status_code == 200 and "刘举报" in response.content.decode()
    events = AuditEvent.objects.filter(action="leads.lead.reporter_revealed")
    assert list(events.values_list("actor__username", flat=True)) == ["intake_a"]


# --- triage and signing through the forms (L4, L9) -------------------------------------------


def test_l4_triage_assign_through_the_page(client, org, register):
    lead = register()
    client.force_login(org.office_staff)
    response = client.post(
        reverse("leads:assign", args=[lead.pk]),
        {
            "route": "verification",
            "unit": org.police_a.pk,
            "handler": "A100",
            "deadline": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
        },
    )
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.status == LeadStatus.HANDLING and lead.handler == org.handler
    client.force_login(org.handler.user)
    assert lead.number in client.get(reverse("leads:my_work")).content.decode()


def test_l9_signing_through_the_page(client, org, assigned):
    lead = assigned()
    services.lead_conclude(
        lead=lead, actor=org.handler.user, conclusion=LeadConclusion.UNFOUNDED, result="查无实据"
    )
    sign = reverse("leads:sign", args=[lead.pk])
    client.force_login(org.unit_head.user)
    assert lead.number in client.get(reverse("leads:my_work")).content.decode()
    client.post(sign, {"role": "handler"})  # not the head's part
    assert not Signature.objects.exists()
    client.post(sign, {"role": "unit_head"})
    client.force_login(org.handler.user)
    page = client.get(reverse("leads:detail", args=[lead.pk])).content.decode()
    assert 'id="sign-handler"' in page
    client.post(sign, {"role": "handler"})
    lead.refresh_from_db()
    assert lead.status == LeadStatus.CONCLUDED and lead.archived_at
    sheet = client.get(reverse("leads:archive_sheet", args=[lead.pk])).content.decode()
    assert "查无实据" in sheet and "孙承办" in sheet and "周局长" in sheet
    client.force_login(org.office_staff)
    client.post(reverse("leads:cross_off", args=[lead.pk]))
    lead.refresh_from_db()
    assert lead.status == LeadStatus.CROSSED_OFF


# --- the ledger's query count ---------------------------------------------------------------


def test_it_lists_the_ledger_in_constant_queries(client, org, register):
    def queries_for(n: int) -> int:
        Lead.objects.all().delete()
        for _ in range(n):
            register(subjects=[org.officer_a])
        client.force_login(org.chief)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("leads:ledger"))
        assert response.status_code == 200
        return len(ctx.captured_queries)

    assert queries_for(10) == queries_for(200)


def test_l5_ledger_shows_the_closure_rate(client, org, assigned):
    lead = assigned()
    assigned()
    services.lead_conclude(
        lead=lead,
        actor=org.handler.user,
        conclusion=LeadConclusion.SUBSTANTIATED,
        result="属实",
        dealt_with="张三，诫勉谈话",
        disposition_form="1",
    )
    client.force_login(org.chief)
    page = client.get(reverse("leads:ledger")).content.decode()
    assert re.search(r'id="closure-rate">50.0%<', page)
