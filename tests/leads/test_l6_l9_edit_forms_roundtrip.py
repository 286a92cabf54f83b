"""Every edit form of the lead pages shows the saved values in a form the browser accepts
(ISO dates in <input type=date>), and posting it back unchanged changes nothing and raises
no error (issue: 变更督办领导或期限 showed an empty 督办期限 and 督办要求)."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from leads import services
from leads.models import LeadConclusion, LeadEvent, LeadStatus

pytestmark = pytest.mark.django_db


class _FormValues(HTMLParser):
    """The values a browser would submit for the form with `form_id` (no JavaScript)."""

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id, self.inside, self.values, self.types = form_id, False, {}, {}
        self._textarea = self._select = None
        self._first_option = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") == "checkbox" and "checked" not in a:
                return
            self.values[name] = a.get("value", "")
            self.types[name] = a.get("type", "text")
        elif tag == "textarea" and name:
            self._textarea = name
            self.values[name] = ""
        elif tag == "select" and name:
            self._select, self._first_option = name, None
        elif tag == "option" and self._select:
            if self._first_option is None:
                self._first_option = a.get("value", "")
                self.values.setdefault(self._select, self._first_option)
            if "selected" in a:
                self.values[self._select] = a.get("value", "")

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            if self._textarea:  # the browser drops the one newline after <textarea>
                self.values[self._textarea] = self.values[self._textarea].removeprefix("\n")
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self.inside = False


def form_values(html: str, form_id: str) -> tuple[dict, dict]:
    parser = _FormValues(form_id)
    parser.feed(html)
    assert parser.values, f"no form #{form_id} on the page"
    return parser.values, parser.types


def _assert_dates_are_iso(values, types):
    for name, kind in types.items():
        if kind == "date" and values[name]:
            dt.date.fromisoformat(values[name])  # what <input type=date> accepts


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def test_l6_supervision_edit_form_round_trips_leader_deadline_and_requirements(
    client, org, assigned
):
    lead = assigned()
    services.lead_list_supervision(
        lead=lead,
        actor=org.office_staff,
        supervisor=org.cadre_a,
        deadline=days(12),
        note="每周报告进展\n月底前办结",
    )
    client.force_login(org.office_staff)
    url = reverse("leads:detail", args=[lead.pk])
    values, types = form_values(client.get(url).content.decode(), "ov-list-form")
    _assert_dates_are_iso(values, types)
    assert values["deadline"] == days(12).isoformat()
    assert values["note"] == "每周报告进展\n月底前办结"
    assert values["supervisor"] == org.cadre_a.number
    assert values["supervisor_id"] == str(org.cadre_a.pk)
    events = LeadEvent.objects.filter(lead=lead).count()
    response = client.post(reverse("leads:supervision_list", args=[lead.pk]), values, follow=True)
    assert not [m for m in response.context["messages"] if m.level_tag == "error"]
    lead.refresh_from_db()
    assert (lead.supervisor, lead.supervision_deadline) == (org.cadre_a, days(12))
    assert LeadEvent.objects.filter(lead=lead).count() == events  # nothing new to record
    # And a real change through the same form still works.
    values["deadline"] = days(20).isoformat()
    client.post(reverse("leads:supervision_list", args=[lead.pk]), values)
    lead.refresh_from_db()
    assert lead.supervision_deadline == days(20)
    assert services.supervision_requirements(lead) == "每周报告进展\n月底前办结"


def test_l9_conclusion_edit_form_round_trips_and_keeps_the_signatures(client, org, assigned):
    lead = assigned()
    services.lead_conclude(
        lead=lead,
        actor=org.handler.user,
        conclusion=LeadConclusion.UNFOUNDED,
        result="经核查，反映问题不属实",
    )
    services.lead_sign(lead=lead, actor=org.handler.user, role="handler")
    client.force_login(org.handler.user)
    page = client.get(reverse("leads:detail", args=[lead.pk])).content.decode()
    values, types = form_values(page, "conclude-form")
    _assert_dates_are_iso(values, types)
    assert values["conclusion"] == LeadConclusion.UNFOUNDED
    assert values["result"] == "经核查，反映问题不属实"
    response = client.post(reverse("leads:conclude", args=[lead.pk]), values, follow=True)
    assert not [m for m in response.context["messages"] if m.level_tag == "error"]
    lead.refresh_from_db()
    assert (lead.status, lead.result) == (LeadStatus.SIGNING, "经核查，反映问题不属实")
    assert lead.signatures.filter(voided_at__isnull=True).count() == 1


def test_l6_assign_handler_form_after_a_jurisdiction_change_shows_the_deadline(
    client, org, assigned
):
    lead = assigned()
    services.lead_change_jurisdiction(
        lead=lead,
        actor=org.office_staff,
        kind="cross",
        to_unit=org.court_a,
        reason="交叉办理",
    )
    lead.refresh_from_db()
    client.force_login(org.office_staff)
    page = client.get(reverse("leads:detail", args=[lead.pk])).content.decode()
    values, types = form_values(page, "ov-assign-form")
    _assert_dates_are_iso(values, types)
    assert values["deadline"] == lead.deadline.isoformat()
