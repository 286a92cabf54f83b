"""The audit log page reads as sentences: Chinese descriptions, the object's number or name
with a link where the viewer may open it, and the summary as key: value lines."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from leads import services as lead_services
from leads.models import Channel, LeadCategory
from rectify.audit import audit_record
from rectify.models import AuditVerb, Role
from tests.factories import grant, officer_with_login


def _lead(org, **kw):
    return lead_services.lead_register(
        office=org.office_a,
        actor=org.intake,
        received_date=timezone.localdate(),
        channel=Channel.objects.get(code="hotline"),
        category=LeadCategory.INTERFERENCE,
        summary="反映某干警过问他人案件",
        **kw,
    )


def _rows(page: str) -> list[str]:
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr>(.*?)</tr>", body, re.S)


@pytest.mark.django_db
def test_it_shows_audit_events_in_chinese_with_numbers_and_readable_data(client, org):
    lead = _lead(org)
    lead_services.lead_record_read(lead=lead, actor=org.intake)
    lead = lead_services.lead_assign(
        lead=lead,
        actor=org.office_staff,
        unit=org.police_a,
        handler=org.handler,
        deadline=timezone.localdate() + dt.timedelta(days=30),
        route="verification",
    )
    audit_record(
        actor=org.admin,
        verb=AuditVerb.CHANGE,
        action="rectify.officer.admin_changed",
        target=org.officer_a,
        data={"fields": ["name", "unit"]},
    )
    client.force_login(org.admin)
    page = client.get(reverse("rectify:audit_list")).content.decode()
    rows = _rows(page)
    text = " ".join(re.sub(r"<[^>]+>", " ", r) for r in rows)
    # Descriptions, not only codes.
    for words in ("登记线索", "查看线索", "变更线索状态", "在管理后台修改干警"):
        assert words in text
    # Objects by number / name, never "leads.lead #14".
    assert lead.number in text
    assert "张三（A001）" in text
    assert f"leads.lead #{lead.pk}" not in text
    assert "rectify.officer #" not in text
    # Data as key: value lines with Chinese keys and status names; no Python dicts.
    assert "{'" not in page and "&#x27;" not in page
    assert "修改的字段：" in text and "姓名、所在单位" in text
    assert re.search(r"原状态：\s*\S+", text) and "新状态：" in text
    assert "编号：" in text


@pytest.mark.django_db
def test_it_links_audit_objects_only_where_the_viewer_may_open_them(client, org):
    lead = _lead(org)
    detail = reverse("leads:detail", args=[lead.pk])
    client.force_login(org.admin)  # the system administrator: no lead role
    page = client.get(reverse("rectify:audit_list")).content.decode()
    assert lead.number in page
    assert f'href="{detail}"' not in page
    # The same administrator holding the office role over district A may open it.
    grant(org.admin, Role.OFFICE, org.district_a, org.office_a)
    page = client.get(reverse("rectify:audit_list")).content.decode()
    assert f'href="{detail}"' in page


@pytest.mark.django_db
def test_it_hides_the_number_of_a_lead_about_the_viewer(client, org):
    officer = officer_with_login(org.court_a, "admin2", name="钱管理", number="A777")
    grant(officer.user, Role.ADMIN, org.province)
    lead = _lead(org, subjects=[lead_services.SubjectInput(name="钱管理", officer=officer)])
    client.force_login(officer.user)
    page = client.get(reverse("rectify:audit_list")).content.decode()
    assert "登记线索" in page and "问题线索（本人回避）" in page
    assert lead.number not in page
    assert "反映某干警" not in page


@pytest.mark.django_db
def test_it_resolves_audit_objects_without_a_query_per_row(client, org):
    client.force_login(org.admin)

    def count_for(n: int) -> int:
        for _ in range(n):
            lead = _lead(org)
            lead_services.lead_record_read(lead=lead, actor=org.intake)
            audit_record(
                actor=org.admin,
                verb=AuditVerb.CHANGE,
                action="rectify.officer.admin_changed",
                target=org.officer_a,
            )
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(reverse("rectify:audit_list")).content.decode()
        assert "查看线索" in page
        return len(ctx.captured_queries)

    assert count_for(3) == count_for(30)
