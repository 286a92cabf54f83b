"""Issue 9 / issue 10: a public report's text, subject, category and files as submitted are
kept (原始举报内容, immutable, reads audited); registration writes the office's summary
beside them, and registering a named report carries the reporter over without showing it;
later edits of summary, subjects or category are timeline events (old → new)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from leads import services
from leads.models import EventKind, Lead, LeadOriginal, LeadStatus
from leads.services.attachments import AttachmentError, attachment_add, attachment_remove
from rectify.models import AuditEvent

pytestmark = pytest.mark.django_db

REPORTER_TEXT = "我实名反映：某法院张三在2021年多次收受当事人财物，并为其打招呼"


def submit(org, **kw):
    params = {
        "office": org.office_a,
        "category": "interference",
        "summary": REPORTER_TEXT,
        "subject_text": "张三",
        "subject_unit_text": "甲区法院",
    }
    params.update(kw)
    lead, _code = services.public_report_submit(**params)
    return lead


def register_post(client, lead, channels, **extra):
    data = {
        "office": lead.office_id,
        "received_date": timezone.localdate().isoformat(),
        "channel": channels["online"].pk,
        "category": "business",
        "summary": "反映甲区法院干警收受当事人财物（办公室摘要）",
        "subjects": "张三",
    }
    data.update(extra)
    return client.post(reverse("leads:register_existing", args=[lead.pk]), data)


def test_l1_registering_a_public_report_keeps_the_reporters_words(client, org, channels):
    lead = submit(org)
    client.force_login(org.intake)
    response = register_post(client, lead, channels)
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.status == LeadStatus.REGISTERED
    assert lead.summary.endswith("（办公室摘要）")
    original = LeadOriginal.objects.get(lead=lead)
    assert (original.text, original.subject_name, original.category) == (
        REPORTER_TEXT,
        "张三",
        "interference",
    )
    # The registration's rewording is on the timeline, old → new.
    edit = lead.events.get(kind=EventKind.EDIT)
    assert REPORTER_TEXT in edit.text and "（办公室摘要）" in edit.text
    assert {c["field"] for c in edit.data["changes"]} == {"summary", "category"}
    # Intake and office read it on its own page, audited.
    for user in (org.intake, org.office_staff):
        client.force_login(user)
        page = client.get(reverse("leads:original", args=[lead.pk]))
        assert page.status_code == 200 and REPORTER_TEXT in page.content.decode()
    assert AuditEvent.objects.filter(action="leads.lead.original_read").count() == 2
    # Nobody else: the handler of the lead may not, outsiders get 404.
    client.force_login(org.outsider)
    assert client.get(reverse("leads:original", args=[lead.pk])).status_code == 404


def test_l1_the_original_report_cannot_be_changed(org):
    original = LeadOriginal.objects.get(lead=submit(org))
    original.text = "改写"
    with pytest.raises(ValueError):
        original.save()
    assert LeadOriginal.objects.get(pk=original.pk).text == REPORTER_TEXT


def test_l1_the_reporters_files_cannot_be_removed(org):
    lead = submit(org)
    upload = SimpleUploadedFile("证据.txt", "收款记录".encode(), content_type="text/plain")
    stored = attachment_add(lead=lead, actor=None, upload=upload, anonymise=True)
    assert stored.from_reporter
    with pytest.raises(AttachmentError):
        attachment_remove(attachment=stored, actor=org.intake, reason="重复")
    assert lead.attachments.count() == 1


def test_l1_later_edits_of_summary_subjects_and_category_are_timeline_events(client, org, register):
    lead = register(summary="反映干警过问案件", subjects=[org.officer_a])
    client.force_login(org.intake)
    url = reverse("leads:edit", args=[lead.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "category": "lending",
            "summary": "反映干警违规借贷",
            "subjects": "张三、路人乙",
            "subject_unit_text": "",
        },
    )
    assert response.status_code == 302
    lead.refresh_from_db()
    assert (lead.summary, lead.category) == ("反映干警违规借贷", "lending")
    event = lead.events.get(kind=EventKind.EDIT)
    changes = {c["field"]: (c["old"], c["new"]) for c in event.data["changes"]}
    assert changes == {
        "summary": ("反映干警过问案件", "反映干警违规借贷"),
        "category": ("interference", "lending"),
        "subjects": ("张三", "张三、路人乙"),
    }
    assert "反映内容摘要：反映干警过问案件 → 反映干警违规借贷" in event.text
    # The linked subject stays linked.
    assert lead.subjects.get(name="张三").officer == org.officer_a
    assert AuditEvent.objects.filter(action="leads.lead.edited", object_id=str(lead.pk)).exists()


def test_l1_registering_a_named_online_report_needs_no_reveal(client, org, channels):
    lead = submit(org, reporter_name="赵举报", reporter_contact="13800000000")
    client.force_login(org.intake)
    form = client.get(reverse("leads:register_existing", args=[lead.pk])).content.decode()
    assert 'name="reporter_name"' not in form and "赵举报" not in form
    response = register_post(client, lead, channels)
    assert response.status_code == 302, response.content.decode()[:2000]
    lead = Lead.objects.get(pk=lead.pk)
    assert lead.status == LeadStatus.REGISTERED
    assert not lead.reporter_anonymous
    assert (lead.reporter_name, lead.reporter_contact) == ("赵举报", "13800000000")
    assert not AuditEvent.objects.filter(action="leads.lead.reporter_revealed").exists()


def test_it_refuses_a_subject_name_over_the_limit_with_a_clear_error(client, org, hotline):
    client.force_login(org.intake)
    response = client.post(
        reverse("leads:register"),
        {
            "office": org.office_a.pk,
            "received_date": timezone.localdate().isoformat(),
            "channel": hotline.pk,
            "category": "interference",
            "summary": "反映某干警过问案件",
            "subjects": "张" * 101,
            "reporter_anonymous": "on",
        },
    )
    assert response.status_code == 200
    assert "每个被反映人的姓名或警号不能超过 100 个字" in response.content.decode()
    assert not Lead.objects.exists()
