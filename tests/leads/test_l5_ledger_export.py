"""Ledger export: canonical layout, round trip, formula escaping, recusal, audit."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from leads.ledger import COLUMNS, import_ledger
from leads.models import Channel, Lead
from rectify.models import AuditEvent
from tests.factories import LeadSubjectFactory, OfficerFactory
from tests.leads.test_l5_ledger_import_parsing import messy_ledger_xlsx


@pytest.fixture
def imported(org):
    for code, name in (("mailbox", "举报信箱"), ("online", "网上举报平台")):
        Channel.objects.get_or_create(code=code, defaults={"name": name})
    result = import_ledger(upload=messy_ledger_xlsx(), office=org.office_a, actor=org.intake)
    assert result.ok, [str(e) for e in result.errors]
    return result


def export(client, user, query="") -> tuple[bytes, list[tuple]]:
    client.force_login(user)
    response = client.get(reverse("leads:ledger_export") + query)
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(data)).active
    return data, list(sheet.iter_rows(values_only=True))


@pytest.mark.django_db
def test_it_exports_the_canonical_layout_and_reimports_as_unchanged(client, org, imported):
    data, rows = export(client, org.intake)
    assert list(rows[0]) == COLUMNS
    numbers = [r[0] for r in rows[1:]]
    assert sorted(numbers) == ["甲区-2021-0001", "甲区-2021-0002"]
    by_number = {r[0]: dict(zip(COLUMNS, r, strict=True)) for r in rows[1:]}
    assert by_number["甲区-2021-0002"]["反映人"] == "赵六"  # intake may see the reporter
    assert by_number["甲区-2021-0001"]["被反映人"] == "张三、路人甲"
    again = import_ledger(upload=data, office=org.office_a, actor=org.intake)
    assert again.ok, [str(e) for e in again.errors]
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    event = AuditEvent.objects.filter(action="leads.ledger.exported").get()
    assert event.verb == "export" and event.actor == org.intake


@pytest.mark.django_db
def test_it_hides_the_reporter_from_non_intake_and_the_round_trip_keeps_it(client, org, imported):
    data, rows = export(client, org.office_staff)
    assert "赵六" not in {r[3] for r in rows}
    again = import_ledger(upload=data, office=org.office_a, actor=org.office_staff)
    assert again.unchanged == 2
    assert Lead.objects.get(number="甲区-2021-0002").reporter_name == "赵六"


@pytest.mark.django_db
def test_it_escapes_formulas_in_cells(client, org, imported):
    Lead.objects.filter(number="甲区-2021-0001").update(summary='=HYPERLINK("http://x","点我")')
    _, rows = export(client, org.intake)
    summaries = {r[0]: r[7] for r in rows[1:]}
    assert summaries["甲区-2021-0001"].startswith("'=")


@pytest.mark.django_db
def test_it_applies_the_ledger_filters(client, org, imported):
    _, rows = export(client, org.intake, "?status=concluded")
    assert [r[0] for r in rows[1:]] == ["甲区-2021-0002"]


@pytest.mark.django_db
def test_recusal_an_office_member_named_in_a_lead_cannot_export_it(client, org, imported):
    OfficerFactory(unit=org.district_a, user=org.office_staff, name="办公室小刘", number="A555")
    lead = Lead.objects.get(number="甲区-2021-0001")
    LeadSubjectFactory(lead=lead, officer=org.office_staff.officer, name="办公室小刘")
    _, rows = export(client, org.office_staff)
    assert [r[0] for r in rows[1:]] == ["甲区-2021-0002"]
    _, rows = export(client, org.outsider)  # another office's jurisdiction
    assert rows[1:] == []
