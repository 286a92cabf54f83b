"""L1: the channels of the speech are configured; reporter identity is encrypted at rest."""

from __future__ import annotations

import pytest
from django.db import connection

from leads.models import Channel, Lead, LeadCategory

SPEECH_CHANNELS = {
    "举报电话",
    "举报信箱",
    "网上举报平台",
    "走访当事人",
    "函询",
    "民主测评",
    "个别谈话",
    "明察暗访",
    "涉黑涉恶案件倒查",
    "涉法涉诉信访案件评查",
    "重点案件评查",
    "执法司法专项检查",
}


@pytest.mark.django_db
def test_l1_channels_cover_the_speech():
    assert set(Channel.objects.values_list("name", flat=True)) >= SPEECH_CHANNELS


def test_l8_categories_include_the_four_focus_areas_and_the_six_problems():
    values = set(LeadCategory.values)
    assert {"two_faced", "umbrella", "judicial_corruption", "unrestrained", "other"} <= values
    assert {"interference", "business", "lending", "sentence", "inaction", "broker"} <= values


@pytest.mark.django_db
def test_it_encrypts_reporter_identity_at_rest(org):
    lead = Lead(office=org.office_a, summary="某干警违规插手案件", reporter_anonymous=False)
    lead.reporter_name = "刘举报"
    lead.reporter_contact = "13800000000"
    lead.save()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reporter_name_enc, reporter_contact_enc FROM leads_lead WHERE id = %s",
            [lead.pk],
        )
        name_enc, contact_enc = cursor.fetchone()
    assert "刘举报" not in name_enc and "13800000000" not in contact_enc
    fresh = Lead.objects.get(pk=lead.pk)
    assert (fresh.reporter_name, fresh.reporter_contact) == ("刘举报", "13800000000")


@pytest.mark.django_db
def test_it_reads_values_encrypted_with_an_older_key(org, settings):
    from leads import crypto

    newest, older = settings.FIELD_ENCRYPTION_KEYS[:2]
    settings.FIELD_ENCRYPTION_KEYS = [older]
    token = crypto.encrypt("旧密钥加密")
    settings.FIELD_ENCRYPTION_KEYS = [newest, older]
    assert crypto.decrypt(token) == "旧密钥加密"
    rotated = crypto.rotate(token)
    settings.FIELD_ENCRYPTION_KEYS = [newest]
    assert crypto.decrypt(rotated) == "旧密钥加密"


@pytest.mark.django_db
def test_l8_ledger_filters_the_four_focus_areas(client, org, register):
    from django.urls import reverse

    umbrella = register(category=LeadCategory.UMBRELLA, summary="充当保护伞")
    corrupt = register(category=LeadCategory.JUDICIAL_CORRUPTION, summary="徇私枉法")
    chronic = register(category=LeadCategory.BUSINESS, summary="违规经商")
    client.force_login(org.intake)
    page = client.get(reverse("leads:ledger"), {"category": "focus"}).content.decode()
    assert umbrella.number in page and corrupt.number in page
    assert chronic.number not in page
    page = client.get(reverse("leads:ledger"), {"category": "chronic"}).content.decode()
    assert chronic.number in page and umbrella.number not in page
