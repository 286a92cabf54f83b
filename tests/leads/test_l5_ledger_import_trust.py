"""Issue 9: the ledger import goes through the same gate as the forms — scoping and
recusal, the workflow, the timeline and the audit — and is no oracle on the reporter."""

from __future__ import annotations

import pytest

from leads import services
from leads.ledger import (
    NUMBER_UNAVAILABLE,
    import_job_cancel,
    import_ledger,
    lead_row,
    run_import_job,
)
from leads.models import (
    EventKind,
    Lead,
    LeadConclusion,
    LeadEvent,
    LeadImportJob,
    LeadStatus,
    SignatureRole,
)
from rectify.models import AuditEvent
from tests.factories import LeadImportJobFactory, OfficerFactory
from tests.leads.test_l5_ledger_import import canonical_xlsx

pytestmark = pytest.mark.django_db


def exported(lead, **changes) -> list:
    """The lead's row as the export writes it, with some cells changed (by column name)."""
    from leads.ledger import COLUMNS

    lead = Lead.objects.get(pk=lead.pk)
    values = lead_row(lead, reveal_reporter=True)
    for column, value in changes.items():
        values[COLUMNS.index(column)] = value
    return values


def test_l9_import_cannot_touch_a_lead_the_importer_is_recused_from(org, register):
    me = OfficerFactory(unit=org.district_a, user=org.intake, name="受理员本人")
    lead = register(subjects=[me], summary="反映受理员本人违规打听案情")
    lead = services.lead_assign(
        lead=lead,
        actor=org.office_staff,
        unit=org.police_a,
        handler=org.handler,
        deadline=lead.received_date.replace(year=lead.received_date.year + 1),
        route="verification",
    )
    row = exported(lead, 被反映人="某某", 办理状态="已了结", 办理结果="不予追究")
    result = import_ledger(upload=canonical_xlsx([row]), office=org.office_a, actor=org.intake)
    assert [(e.column, e.reason) for e in result.errors] == [("线索编号", NUMBER_UNAVAILABLE)]
    lead.refresh_from_db()
    assert lead.status == LeadStatus.HANDLING
    assert [s.name for s in lead.subjects.all()] == ["受理员本人"]
    # Worded exactly like a number that does not exist (another office's numbering).
    missing = exported(lead)
    missing[0] = "乙区-2021-9999"
    answer = import_ledger(upload=canonical_xlsx([missing]), office=org.office_a, actor=org.intake)
    assert [(e.column, e.reason) for e in answer.errors] == [("线索编号", NUMBER_UNAVAILABLE)]
    # The same row from a colleague who may see the lead is a plain update.
    other = import_ledger(
        upload=canonical_xlsx([exported(lead, 反映内容摘要="改写")]),
        office=org.office_a,
        actor=org.office_staff,
        dry_run=True,
    )
    assert other.ok and other.updated == 1


def test_l9_import_status_change_goes_through_the_workflow_and_its_guards(org, assigned):
    lead = assigned()
    services.lead_conclude(
        lead=lead, actor=org.handler.user, conclusion=LeadConclusion.UNFOUNDED, result="查无实据"
    )
    services.lead_sign(lead=lead, actor=org.handler.user, role=SignatureRole.HANDLER)
    lead.refresh_from_db()
    assert lead.status == LeadStatus.SIGNING
    for word in ("已销号", "已办结"):  # no edge / the unit head has not signed
        result = import_ledger(
            upload=canonical_xlsx([exported(lead, 办理状态=word)]),
            office=org.office_a,
            actor=org.intake,
        )
        assert [e.column for e in result.errors] == ["办理状态"], word
        lead.refresh_from_db()
        assert lead.status == LeadStatus.SIGNING and lead.crossed_off_at is None


def test_l9_import_moves_status_with_lead_transition_and_records_each_field(org, assigned):
    lead = assigned()
    old_deadline = lead.deadline
    row = exported(
        lead, 办理状态="暂存待查", 办理结果="待补充材料后再查", 反映内容摘要="更正后的摘要"
    )
    result = import_ledger(upload=canonical_xlsx([row]), office=org.office_a, actor=org.intake)
    assert result.ok and result.updated == 1, [str(e) for e in result.errors]
    lead.refresh_from_db()
    assert lead.status == LeadStatus.HELD and lead.close_reason == "待补充材料后再查"
    events = LeadEvent.objects.filter(lead=lead)
    transition = events.filter(kind=EventKind.TRANSITION).last()
    assert transition.data == {"from": "handling", "to": "held"}
    notes = {e.data["field"]: e.data for e in events.filter(kind=EventKind.NOTE, data__import=True)}
    assert notes["反映内容摘要"]["old"] == "反映某干警过问他人案件"
    assert notes["反映内容摘要"]["new"] == "更正后的摘要"
    assert notes["办理结果"]["new"] == "待补充材料后再查"
    assert lead.deadline == old_deadline and "办理期限" not in notes
    audit = AuditEvent.objects.get(action="leads.lead.import_updated")
    assert audit.object_id == str(lead.pk)
    assert AuditEvent.objects.filter(action="leads.lead.transitioned", object_id=str(lead.pk))


def test_l9_import_is_no_oracle_on_the_reporter(org, register):
    lead = register(reporter_anonymous=False, reporter_name="赵六", reporter_contact="139")
    answers = []
    for guess in ("赵六", "钱七"):
        result = import_ledger(
            upload=canonical_xlsx([exported(lead, 反映人=guess)]),
            office=org.office_a,
            actor=org.office_staff,  # may not reveal
            dry_run=True,
        )
        answers.append(result)
    assert answers[0].summary() == answers[1].summary()
    assert answers[0].summary()["unchanged"] == 1
    assert answers[0].preview()["rows"] == answers[1].preview()["rows"]
    stored = import_ledger(
        upload=canonical_xlsx([exported(lead, 反映人="钱七", 反映内容摘要="新摘要")]),
        office=org.office_a,
        actor=org.office_staff,
    )
    lead.refresh_from_db()
    assert stored.updated == 1 and lead.summary == "新摘要" and lead.reporter_name == "赵六"
    # Intake may change it, but the preview and the timeline never show the name.
    changed = import_ledger(
        upload=canonical_xlsx([exported(lead, 反映人="钱七")]),
        office=org.office_a,
        actor=org.intake,
    )
    lead.refresh_from_db()
    assert changed.updated == 1 and lead.reporter_name == "钱七"
    assert "赵六" not in str(changed.preview()) and "钱七" not in str(changed.preview())
    assert not any("钱七" in e.text or "赵六" in e.text for e in LeadEvent.objects.all())


def test_l9_the_upload_is_deleted_when_the_job_ends(org, channels):
    data = canonical_xlsx([["U-1", "2021-04-03", "举报电话", "张某", "", "", "其他", "摘要"]])

    def job(**kw):
        return LeadImportJobFactory(
            office=org.office_a, created_by=org.intake, filename="a.xlsx", content=data, **kw
        )

    waiting = job()
    run_import_job(waiting.pk)
    waiting.refresh_from_db()
    assert waiting.status == "preview" and bytes(waiting.content) == data  # still needed
    import_job_cancel(job=waiting, actor=org.intake)
    waiting.refresh_from_db()
    assert waiting.status == "cancelled" and bytes(waiting.content) == b""
    for kw in ({"confirmed": True}, {"dry_run": True}):
        ended = job(**kw)
        run_import_job(ended.pk)
        ended.refresh_from_db()
        assert ended.status == "done" and bytes(ended.content) == b"", kw
        assert ended.result["total"] == 1 and ended.preview["rows"]
    broken = job()
    LeadImportJob.objects.filter(pk=broken.pk).update(content=b"not a zip")
    run_import_job(broken.pk)
    broken.refresh_from_db()
    assert broken.status == "failed" and bytes(broken.content) == b""
    assert Lead.objects.filter(number="U-1").count() == 1


def test_l9_an_unconfirmed_preview_loses_its_upload_after_a_day(org, channels):
    import datetime as dt

    from django.utils import timezone

    from leads.tasks import lead_import_expire

    data = canonical_xlsx([["V-1", "2021-04-03", "举报电话", "张某", "", "", "其他", "摘要"]])
    job = LeadImportJobFactory(
        office=org.office_a, created_by=org.intake, filename="a.xlsx", content=data
    )
    run_import_job(job.pk)
    assert lead_import_expire() == 0  # fresh: kept for the uploader to confirm
    LeadImportJob.objects.filter(pk=job.pk).update(
        created_at=timezone.now() - dt.timedelta(hours=25)
    )
    assert lead_import_expire() == 1 and lead_import_expire() == 0
    job.refresh_from_db()
    assert job.status == "cancelled" and bytes(job.content) == b""


def test_it_reimports_an_exported_transferred_lead_unchanged(org, register):
    lead = register()
    services.lead_transfer(
        lead=lead, actor=org.office_staff, body="区纪委监委", date=lead.received_date
    )
    result = import_ledger(
        upload=canonical_xlsx([exported(lead)]), office=org.office_a, actor=org.intake
    )
    assert (result.updated, result.unchanged) == (0, 1), result.preview()["rows"]
    lead.refresh_from_db()
    assert lead.transfer_body == "区纪委监委"


def test_it_reimports_a_lead_handled_outside_the_jurisdiction_unchanged(org, register):
    lead = register()
    city_handler = OfficerFactory(unit=org.city, name="市局承办人")
    Lead.objects.filter(pk=lead.pk).update(handling_unit=org.city, handler=city_handler)
    result = import_ledger(
        upload=canonical_xlsx([exported(lead)]), office=org.office_a, actor=org.intake
    )
    assert (result.updated, result.unchanged, result.warnings) == (0, 1, [])
