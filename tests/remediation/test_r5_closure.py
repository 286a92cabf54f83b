"""R5: submission, the three don'ts (三个不放过) at acceptance, returns and the waiver."""

from __future__ import annotations

import pytest
from django.urls import reverse

from remediation.models import AttemptDecision, EvidenceStatus, ItemStatus
from remediation.rules.closure import COND_DEALT, COND_PUBLIC, COND_RESOLVED
from remediation.services import closure
from remediation.workflow import ItemWorkflowError
from tests.factories import RemediationEvidenceFactory

from .closure_helpers import make_item, make_ready

pytestmark = pytest.mark.django_db


def _url(name: str, item: object) -> str:
    return reverse(f"remediation:{name}", args=[item.pk])


@pytest.mark.parametrize(
    ("broken", "named"),
    [("resolved", COND_RESOLVED), ("public", COND_PUBLIC), ("dealt", COND_DEALT)],
)
def test_r5_accept_names_missing_conditions(client, org, broken, named):
    item = make_ready(org.station_a1, org.unit_head.user, **{broken: False})
    with pytest.raises(ItemWorkflowError) as refused:
        closure.item_accept(item=item, actor=org.office_staff)
    assert len(refused.value.reasons) == 1 and refused.value.reasons[0].startswith(named)

    client.force_login(org.office_staff)
    page = client.get(_url("item_detail", item)).content.decode()
    assert named in page and "disabled" in page  # the list beside a disabled button
    response = client.post(_url("item_accept", item))
    assert response.status_code == 422
    assert named in response.content.decode()
    item.refresh_from_db()
    assert item.status == ItemStatus.RECTIFIED


def test_r5_evidence_pending_or_missing_blocks(org):
    item = make_ready(org.station_a1, org.unit_head.user)
    RemediationEvidenceFactory(item=item, status=EvidenceStatus.SUBMITTED)
    with pytest.raises(ItemWorkflowError) as refused:
        closure.item_accept(item=item, actor=org.office_staff)
    assert "1份佐证材料待审核" in refused.value.reasons[0]
    item.evidence.all().delete()
    with pytest.raises(ItemWorkflowError) as refused:
        closure.item_accept(item=item, actor=org.office_staff)
    assert "尚无经认可的佐证材料" in refused.value.reasons[0]


def test_r5_accept_when_all_three_hold(client, org):
    item = make_ready(org.station_a1, org.unit_head.user)
    client.force_login(org.office_staff)
    assert "三个条件均已满足" in client.get(_url("item_detail", item)).content.decode()
    response = client.post(_url("item_accept", item))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == ItemStatus.ACCEPTED and item.accepted_by == org.office_staff
    assert item.attempts.get().decision == AttemptDecision.ACCEPTED


def test_r5_return_keeps_every_attempt_and_reason(client, org):
    item = make_ready(org.station_a1, org.unit_head.user, submit=False)
    client.force_login(org.unit_head.user)
    assert client.post(_url("item_submit", item), {"note": "第一次整改"}).status_code == 302
    client.force_login(org.office_staff)
    client.post(_url("item_return", item), {"reason": "台账不全"})
    item.refresh_from_db()
    assert item.status == ItemStatus.IN_PROGRESS
    client.force_login(org.unit_head.user)
    client.post(_url("item_submit", item), {"note": "第二次整改"})
    client.force_login(org.office_staff)
    client.post(_url("item_return", item), {"reason": "群众仍有意见"})
    client.force_login(org.unit_head.user)
    client.post(_url("item_submit", item), {"note": "第三次整改"})

    attempts = list(item.attempts.order_by("id"))
    assert [(a.note, a.decision, a.reason) for a in attempts] == [
        ("第一次整改", AttemptDecision.RETURNED, "台账不全"),
        ("第二次整改", AttemptDecision.RETURNED, "群众仍有意见"),
        ("第三次整改", AttemptDecision.PENDING, ""),
    ]
    page = client.get(_url("item_detail", item)).content.decode()
    for text in ("台账不全", "群众仍有意见", "第一次整改", "第三次整改"):
        assert text in page


def test_r5_survey_waiver_needs_leader_and_reason(client, org):
    item = make_ready(org.station_a1, org.unit_head.user, public=False)
    client.force_login(org.office_staff)
    assert client.post(_url("item_waive_survey", item), {"reason": "x"}).status_code == 403
    client.force_login(org.chief)
    response = client.post(_url("item_waive_survey", item), {"reason": "  "})
    assert response.status_code == 422
    assert "请填写免于群众验收理由" in response.content.decode()
    item.refresh_from_db()
    assert not item.survey_waiver_reason
    response = client.post(_url("item_waive_survey", item), {"reason": "涉密事项，不宜公开验收"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.survey_waiver_reason == "涉密事项，不宜公开验收"
    assert item.survey_waived_by == org.chief
    closure.item_accept(item=item, actor=org.office_staff)
    item.refresh_from_db()
    assert item.status == ItemStatus.ACCEPTED


def test_r5_no_one_to_blame_meets_condition_three(client, org):
    item = make_ready(org.station_a1, org.unit_head.user, dealt=False)
    client.force_login(org.office_staff)
    response = client.post(_url("item_no_one_to_blame", item), {"reason": ""})
    assert response.status_code == 422 and "请填写认定理由" in response.content.decode()
    client.post(_url("item_no_one_to_blame", item), {"reason": "系制度缺陷所致，无个人责任"})
    assert client.post(_url("item_accept", item)).status_code == 302
    item.refresh_from_db()
    assert item.status == ItemStatus.ACCEPTED


def test_r5_accountability_record_by_officer_picker(client, org):
    item = make_ready(org.station_a1, org.unit_head.user, dealt=False)
    client.force_login(org.office_staff)
    response = client.post(
        _url("item_accountability_add", item),
        {
            "officer": org.officer_a2.number,
            "officer_id": "",
            "level": "direct",
            "disposition": "second",
            "detail": "诫勉谈话",
        },
    )
    assert response.status_code == 302
    record = item.accountability.get()
    assert record.officer == org.officer_a2 and record.disposition == "second"
    assert "李四" in client.get(_url("item_detail", item)).content.decode()


def test_r5_bad_input_answers_chinese_errors(client, org):
    item = make_item(org.station_a1)
    client.force_login(org.unit_head.user)
    response = client.post(_url("item_submit", item), {"note": ""})
    assert response.status_code == 422 and "请填写整改情况" in response.content.decode()
    # The item page itself comes back (measures, evidence), the error beside its field.
    text = response.content.decode()
    assert 'id="measures"' in text and 'id="evidence"' in text and 'id="submit-form"' in text
    assert text.index("请填写整改情况") > text.index('id="submit-form"')
    response = client.post(_url("item_submit", item), {"note": "长" * 2001})
    assert "整改情况最多 2000 字" in response.content.decode()
    client.force_login(org.office_staff)
    response = client.post(
        _url("item_accountability_add", item), {"level": "bogus", "disposition": ""}
    )
    text = response.content.decode()
    assert response.status_code == 422
    for msg in ("请选择责任人，或填写其姓名", "责任类型无效", "请选择处理方式"):
        assert msg in text
    # Accepting or returning an item that was never submitted: refused, said in Chinese.
    response = client.post(_url("item_accept", item))
    assert response.status_code == 422 and "只有待验收的问题才能验收" in response.content.decode()
    response = client.post(_url("item_return", item), {"reason": "x"})
    assert response.status_code == 422 and "只有待验收的问题才能退回" in response.content.decode()


def test_r5_only_the_office_accepts(client, org):
    item = make_ready(org.station_a1, org.unit_head.user)
    client.force_login(org.unit_head.user)  # works on the item, may not accept it
    assert client.post(_url("item_accept", item)).status_code == 403
    assert client.post(_url("item_return", item), {"reason": "x"}).status_code == 403
    assert client.post(_url("item_accountability_add", item), {}).status_code == 403
    client.force_login(org.chief)  # a leader reads, waives; does not accept
    assert client.post(_url("item_accept", item)).status_code == 403
    item.refresh_from_db()
    assert item.status == ItemStatus.RECTIFIED


def test_r5_invisible_item_is_404(client, org):
    item = make_ready(org.station_a1, org.unit_head.user)
    client.force_login(org.outsider)  # office of another district
    assert client.get(_url("item_detail", item)).status_code == 404
    for name in ("item_accept", "item_submit", "item_escalate", "item_waive_survey"):
        assert client.post(_url(name, item), {"note": "x", "reason": "x"}).status_code == 404
    assert client.get(reverse("remediation:item_detail", args=[999999])).status_code == 404
    item.refresh_from_db()
    assert item.status == ItemStatus.RECTIFIED
