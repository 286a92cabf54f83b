"""R6: escalation to the superior unit (表现在基层、根子在上面), climbing level by level."""

from __future__ import annotations

import pytest
from django.urls import reverse

from rectify.models import Role
from remediation.models import Item, ItemStatus, Plan
from remediation.rules.closure import COND_UPPER
from remediation.services import closure, escalation
from remediation.services.closure import ClosureError
from remediation.workflow import ItemWorkflowError
from tests.factories import OfficeFactory, UserFactory, grant

from .closure_helpers import make_item, make_ready

pytestmark = pytest.mark.django_db


def _url(name: str, item: object) -> str:
    return reverse(f"remediation:{name}", args=[item.pk])


def _escalate(client, user, item, reason="根子在上级") -> Item:
    client.force_login(user)
    response = client.post(_url("item_escalate", item), {"reason": reason})
    assert response.status_code == 302, response.content.decode()[:2000]
    item.refresh_from_db()
    return item.escalated_to


def test_r6_escalation_two_levels(client, org):
    """station → district bureau (甲区公安分局) → district (甲区) → city (测试市)."""
    station = make_item(org.station_a1)
    bureau = _escalate(client, org.unit_head.user, station)  # the unit head of police_a
    assert bureau.unit == org.police_a and bureau.plan.unit == org.police_a
    assert bureau.plan.problem == station.plan.problem
    assert bureau.description == station.description and bureau.status == ItemStatus.OPEN
    assert station.escalation_reason == "根子在上级"

    district = _escalate(client, org.office_staff, bureau)  # climbs further
    assert district.unit == org.district_a
    city = _escalate(client, org.office_staff, district)
    assert city.unit == org.city and city.plan.unit == org.city
    assert Plan.objects.filter(unit=org.city, problem=station.plan.problem).count() == 1

    # Both pages show the link and each other's status.
    client.force_login(org.office_staff)
    page = client.get(_url("item_detail", station)).content.decode()
    assert _url("item_detail", bureau) in page and "已上报上级" in page
    page = client.get(_url("item_detail", bureau)).content.decode()
    assert _url("item_detail", station) in page and "下级上报" in page
    # The city's item is outside the district office's jurisdiction: status, no link.
    page = client.get(_url("item_detail", district)).content.decode()
    assert "已上报上级，状态：" in page and _url("item_detail", city) not in page
    assert client.get(_url("item_detail", city)).status_code == 404
    # The city's leader sees the city item and the link down to the district's.
    client.force_login(org.chief)
    page = client.get(_url("item_detail", city)).content.decode()
    assert _url("item_detail", district) in page and "待整改" in page

    # Once escalated, not again; the root of the tree has no superior.
    with pytest.raises(ClosureError, match="不能重复上报"):
        escalation.item_escalate(item=station, actor=org.unit_head.user, reason="再报")
    root = make_item(org.province)
    with pytest.raises(ClosureError, match="没有上级单位"):
        escalation.item_escalate(item=root, actor=org.admin, reason="x")


def test_r6_lower_waits_for_superior(client, org):
    city_office = UserFactory(username="office_city")
    grant(
        city_office, Role.OFFICE, org.city, OfficeFactory(host_unit=org.city, jurisdiction=org.city)
    )
    lower = make_ready(org.police_a, org.unit_head.user, submit=False)
    district = _escalate(client, org.unit_head.user, lower)
    city = _escalate(client, org.office_staff, district)
    closure.item_submit_rectified(item=lower, actor=org.unit_head.user, note="基层已整改")

    with pytest.raises(ItemWorkflowError) as refused:
        closure.item_accept(item=lower, actor=org.office_staff)
    assert refused.value.reasons == [refused.value.reasons[0]]
    assert refused.value.reasons[0].startswith(COND_UPPER) and "甲区" in refused.value.reasons[0]
    client.force_login(org.office_staff)
    response = client.post(_url("item_accept", lower))
    assert response.status_code == 422 and COND_UPPER in response.content.decode()

    # The district item waits for the city's in turn; accept from the top down.
    for item, actor in ((city, city_office), (district, org.office_staff)):
        ready = make_ready(item.unit, actor, submit=False)  # facts of a finished item
        for rel in ("measures", "evidence", "survey_responses", "accountability"):
            getattr(ready, rel).update(item=item)
        closure.item_submit_rectified(item=item, actor=actor, note="上级已整改")
    with pytest.raises(ItemWorkflowError):
        closure.item_accept(item=district, actor=org.office_staff)
    closure.item_accept(item=city, actor=city_office)
    closure.item_accept(item=district, actor=org.office_staff)
    assert client.post(_url("item_accept", lower)).status_code == 302
    lower.refresh_from_db()
    assert lower.status == ItemStatus.ACCEPTED


def test_r6_escalate_needs_reason_and_worker(client, org):
    item = make_item(org.station_a1)
    client.force_login(org.unit_head.user)
    response = client.post(_url("item_escalate", item), {"reason": ""})
    assert response.status_code == 422 and "请填写上报理由" in response.content.decode()
    client.force_login(org.chief)  # a leader reads but does not escalate
    assert client.post(_url("item_escalate", item), {"reason": "x"}).status_code == 403
    item.refresh_from_db()
    assert item.escalated_to is None
