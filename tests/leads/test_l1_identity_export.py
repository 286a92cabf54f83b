"""Issue 9: the reporter's identity leaves the database only through the audited reveal —
the ledger export writes 反映人 only where can_reveal_reporter(user, lead) holds, and logs
those leads as a reveal."""

from __future__ import annotations

import pytest

from leads.models import Lead
from rectify.models import AuditEvent, Role
from tests.factories import UserFactory, grant
from tests.leads.test_l5_ledger_export import export, imported  # noqa: F401  (fixture)


@pytest.mark.django_db
def test_l1_export_writes_a_reporter_only_where_the_user_may_reveal_it(client, org, imported):  # noqa: F811
    # Intake on district B (another office) and leader on the city: sees district A's leads
    # as a leader, may not reveal their reporters (the page's reveal answers 403).
    mixed = UserFactory(username="mixed")
    grant(mixed, Role.INTAKE, org.district_b, org.office_b)
    grant(mixed, Role.LEADER, org.city)
    _data, rows = export(client, mixed)
    reporters = {r[0]: r[3] for r in rows[1:]}
    assert "甲区-2021-0002" in reporters
    assert reporters["甲区-2021-0002"] == "保密"
    assert "赵六" not in reporters.values()
    assert not AuditEvent.objects.filter(action="leads.lead.reporter_revealed").exists()


@pytest.mark.django_db
def test_l1_export_of_reporters_is_logged_as_a_reveal_with_the_ids(client, org, imported):  # noqa: F811
    _data, rows = export(client, org.intake)
    named = {r[0]: r[3] for r in rows[1:]}
    assert named["甲区-2021-0002"] == "赵六"
    event = AuditEvent.objects.get(action="leads.lead.reporter_revealed")
    assert event.actor == org.intake
    assert event.summary["ids"] == [Lead.objects.get(number="甲区-2021-0002").pk]
