"""R1–R4: plans with typed, tagged items, root causes, measures and evidence, as the office
and the unit do them through the pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from rectify.models import AuditEvent
from remediation import services
from remediation.models import EvidenceStatus, Item, ItemStatus, MeasureNote, Plan
from tests.factories import ItemFactory, MeasureFactory

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _deadline(days: int = 30) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


def _create(client, plan, **fields):
    data = {
        "description": "派出所民警违规过问案件问题",
        "kind": "frequent",
        "origin": "inspection",
        "responsible_unit": str(plan.unit.pk),
        "deadline": _deadline(),
    }
    data.update(fields)
    return client.post(reverse("remediation:item_create", args=[plan.pk]), data)


def test_r1_item_kinds(client, org, plan):
    client.force_login(org.office_staff)
    for kind in ("frequent", "stubborn", "typical"):
        response = _create(client, plan, kind=kind, description=f"{kind}问题")
        assert response.status_code == 302
    kinds = set(Item.objects.filter(plan=plan).values_list("kind", flat=True))
    assert kinds == {"frequent", "stubborn", "typical"}
    item = Item.objects.get(kind="typical")
    page = client.get(reverse("remediation:item_detail", args=[item.pk])).content.decode()
    assert "典型性" in page
    # A kind outside the three is a form error in Chinese, not a 500.
    response = _create(client, plan, kind="weird")
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()


def test_r2_item_tags(client, org, plan):
    client.force_login(org.office_staff)
    _create(client, plan, is_hotspot="on", is_difficulty="on", description="热点难点问题")
    item = Item.objects.get(description="热点难点问题")
    assert (item.is_hotspot, item.is_blocking, item.is_difficulty) == (True, False, True)
    ItemFactory(plan=plan, is_blocking=True, description="堵点问题")
    ledger = client.get(reverse("remediation:ledger"), {"tag": "blocking"}).content.decode()
    assert "堵点问题" in ledger and "热点难点问题" not in ledger


def test_r3_root_causes(client, org, plan):
    client.force_login(org.office_staff)
    _create(
        client,
        plan,
        description="有案不立问题",
        cause_ideals="理想信念动摇",
        cause_purpose="宗旨意识淡薄",
        cause_party_spirit="党性修养不足",
        cause_discipline="纪律观念松弛",
    )
    item = Item.objects.get(description="有案不立问题")
    assert item.cause_ideals == "理想信念动摇" and item.cause_discipline == "纪律观念松弛"
    page = client.get(reverse("remediation:item_detail", args=[item.pk])).content.decode()
    for text in ("理想信念动摇", "宗旨意识淡薄", "党性修养不足", "纪律观念松弛"):
        assert text in page


def test_r4_plan_with_items_and_measures(client, org):
    client.force_login(org.office_staff)
    today = timezone.localdate()
    document = SimpleUploadedFile("整治方案.pdf", PDF, content_type="application/pdf")
    response = client.post(
        reverse("remediation:plan_create"),
        {
            "unit": str(org.police_a.pk),
            "problem": "interference",
            "title": "甲区公安分局整治方案",
            "goal": "杜绝干预司法",
            "measures": "建立过问登记制度",
            "leader": org.unit_head.number,
            "start_date": today.isoformat(),
            "end_date": (today + dt.timedelta(days=60)).isoformat(),
            "document": document,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    plan = Plan.objects.get(title="甲区公安分局整治方案")
    assert plan.leader == org.unit_head and plan.document.name == "整治方案.pdf"
    download = client.get(reverse("remediation:plan_document", args=[plan.pk]))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")

    _create(client, plan, responsible_person=org.handler.number)
    item = Item.objects.get(plan=plan)
    year = today.year
    assert item.number == f"ZG-DA-POL-{year}-0001"
    _create(client, plan, description="第二个问题")
    assert Item.objects.get(description="第二个问题").number == f"ZG-DA-POL-{year}-0002"

    # The unit head adds two measures; the owner (a plain officer) reports progress.
    client.force_login(org.unit_head.user)
    for text, owner in (("开展专项排查", org.handler.number), ("建立台账", "")):
        response = client.post(
            reverse("remediation:measure_add", args=[item.pk]),
            {"text": text, "owner": owner, "deadline": _deadline(20)},
        )
        assert response.status_code == 302
    assert item.measures.count() == 2
    measure = item.measures.get(text="开展专项排查")
    assert item.status == ItemStatus.OPEN
    client.force_login(org.handler.user)
    response = client.post(
        reverse("remediation:measure_note", args=[item.pk, measure.pk]),
        {"text": "已排查三个所队", "progress": "40"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == ItemStatus.IN_PROGRESS  # the first progress starts the work
    assert MeasureNote.objects.get().progress == 40
    assert AuditEvent.objects.filter(action="remediation.item.transitioned").count() == 1

    # Evidence by the owner; review by the office.
    upload = SimpleUploadedFile("排查记录.pdf", PDF, content_type="application/pdf")
    response = client.post(
        reverse("remediation:evidence_upload", args=[item.pk]), {"file": upload, "note": "排查记录"}
    )
    assert response.status_code == 302
    evidence = item.evidence.get()
    client.force_login(org.office_staff)
    response = client.post(
        reverse("remediation:evidence_review", args=[item.pk, evidence.pk]),
        {"decision": "rejected", "note": ""},
    )
    evidence.refresh_from_db()
    assert evidence.status == EvidenceStatus.SUBMITTED  # a rejection needs a note
    client.post(
        reverse("remediation:evidence_review", args=[item.pk, evidence.pk]),
        {"decision": "approved", "note": "材料齐全"},
    )
    evidence.refresh_from_db()
    assert evidence.status == EvidenceStatus.APPROVED
    page = client.get(reverse("remediation:plan_detail", args=[plan.pk])).content.decode()
    assert item.number in page


def test_it_refuses_plans_to_whom_does_not_manage_the_unit(client, org):
    client.force_login(org.unit_head.user)
    assert client.get(reverse("remediation:plan_create")).status_code == 403
    client.force_login(org.outsider)
    response = client.post(
        reverse("remediation:plan_create"),
        {
            "unit": str(org.police_a.pk),
            "problem": "interference",
            "title": "x",
            "goal": "y",
            "start_date": "2024-01-01",
            "end_date": "2024-02-01",
        },
    )
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    assert not Plan.objects.exists()


def test_it_answers_bad_input_with_chinese_form_errors(client, org, plan):
    client.force_login(org.office_staff)
    today = timezone.localdate()
    response = client.post(
        reverse("remediation:plan_create"),
        {
            "unit": str(org.police_a.pk),
            "problem": "interference",
            "title": "",
            "goal": "目标",
            "start_date": today.isoformat(),
            "end_date": "2020-13-40",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200 and "这个字段是必填项" in body and "有效的日期" in body
    response = client.post(
        reverse("remediation:plan_create"),
        {
            "unit": str(org.police_a.pk),
            "problem": "lending",
            "title": "方案",
            "goal": "目标",
            "start_date": today.isoformat(),
            "end_date": (today - dt.timedelta(days=1)).isoformat(),
        },
    )
    assert "完成时限不能早于开始日期" in response.content.decode()
    response = client.post(
        reverse("remediation:plan_create"),
        {
            "unit": str(org.police_a.pk),
            "problem": "interference",
            "title": "重复方案",
            "goal": "目标",
            "start_date": today.isoformat(),
            "end_date": today.isoformat(),
        },
    )
    assert str(services.PLAN_EXISTS) in response.content.decode()
    response = _create(
        client, plan, deadline="9999-99-99", responsible_person="不存在的人", subjects="查无此人"
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "有效的日期" in body and "找不到该警号或姓名" in body
    response = _create(client, plan, responsible_unit=str(org.court_b.pk))
    assert "选择一个有效的选项" in response.content.decode()
    item = ItemFactory(plan=plan)
    response = client.post(
        reverse("remediation:measure_add", args=[item.pk]), {"text": "", "deadline": "x"}
    )
    # A refused action form shows the item page again, errors beside the fields (422).
    assert response.status_code == 422 and "这个字段是必填项" in response.content.decode()
    measure = MeasureFactory(item=item)
    response = client.post(
        reverse("remediation:measure_note", args=[item.pk, measure.pk]),
        {"text": "进展", "progress": "150"},
    )
    assert response.status_code == 302
    assert not MeasureNote.objects.exists()
    response = client.post(
        reverse("remediation:evidence_upload", args=[item.pk]),
        {"file": SimpleUploadedFile("x.exe", b"MZ...", content_type="application/x-msdownload")},
    )
    assert response.status_code == 422 and "类型不允许" in response.content.decode()
