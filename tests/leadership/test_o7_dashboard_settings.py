"""O7: the campaign's thresholds and report period (督导设置): who may change them,
Chinese validation (red ≤ green), audited writes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from leadership.models import CampaignPolicy
from rectify.models import AuditEvent, Role
from tests.factories import UserFactory, grant

pytestmark = pytest.mark.django_db

URL = "leadership:policy"

VALID = {
    "report_period": "ten_day",
    "filing_green": 90,
    "filing_red": 70,
    "closure_green": 85,
    "closure_red": 50,
    "accepted_green": 80,
    "accepted_red": 40,
    "overdue_amber": 1,
    "overdue_red": 4,
}


@pytest.fixture
def top_office(org):
    user = UserFactory(username="office_top")
    grant(user, Role.OFFICE, org.province)
    return user


def test_o7_settings_only_for_the_top_office_or_admin(client, org, top_office):
    for user in (org.office_staff, org.chief, org.officer_a.user):
        client.force_login(user)
        assert client.get(reverse(URL)).status_code == 403
    client.force_login(org.admin)
    assert client.get(reverse(URL)).status_code == 200
    client.force_login(top_office)
    r = client.get(reverse(URL))
    assert r.status_code == 200 and "报送周期" in r.content.decode()
    # the dashboard links the settings only for them
    assert 'id="dash-settings"' in client.get(reverse("leadership:dashboard")).content.decode()
    client.force_login(org.chief)
    assert 'id="dash-settings"' not in client.get(reverse("leadership:dashboard")).content.decode()


def test_o7_settings_saved_and_audited(client, org, campaign, top_office):
    client.force_login(top_office)
    r = client.post(reverse(URL), VALID)
    assert r.status_code == 302
    policy = CampaignPolicy.objects.get(campaign=campaign)
    assert (policy.report_period, policy.filing_red, policy.overdue_red) == ("ten_day", 70, 4)
    event = AuditEvent.objects.filter(action="leadership.policy.created").get()
    assert event.actor_id == top_office.pk
    client.post(reverse(URL), {**VALID, "filing_green": 99})
    assert CampaignPolicy.objects.get(campaign=campaign).filing_green == 99
    assert AuditEvent.objects.filter(action="leadership.policy.changed").count() == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"filing_red": 96, "filing_green": 95}, "填报率红灯阈值不能高于绿灯阈值"),
        ({"closure_red": 91}, "查结率红灯阈值不能高于绿灯阈值"),
        ({"accepted_red": 81}, "整改验收率红灯阈值不能高于绿灯阈值"),
        ({"overdue_amber": 9}, "逾期件数黄灯阈值不能高于红灯阈值"),
        ({"filing_green": 150}, "100"),
        ({"filing_green": "abc"}, "输入整数"),
        ({"report_period": "yearly"}, "选择"),
    ],
)
def test_o7_settings_reject_bad_thresholds_in_chinese(client, org, top_office, change, message):
    client.force_login(top_office)
    r = client.post(reverse(URL), {**VALID, **change})
    assert r.status_code == 200
    assert message in r.content.decode()
    assert not CampaignPolicy.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="leadership.policy").exists()


def test_o7_settings_red_equal_to_green_is_allowed(client, org, campaign, top_office):
    client.force_login(top_office)
    r = client.post(reverse(URL), {**VALID, "filing_red": 90, "filing_green": 90})
    assert r.status_code == 302


def test_o7_policy_rule_holds_outside_the_form_too(campaign):
    from django.core.exceptions import ValidationError

    policy = CampaignPolicy(campaign=campaign, closure_red=95, closure_green=90)
    with pytest.raises(ValidationError) as err:
        policy.full_clean()
    assert "查结率红灯阈值不能高于绿灯阈值" in str(err.value.message_dict["closure_red"])
