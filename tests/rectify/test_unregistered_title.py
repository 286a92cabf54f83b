"""An unregistered online report is named by the day it came in, never by its database id
or its receipt code."""

from __future__ import annotations

import re

from django.utils import timezone

from leads.models import LeadCategory
from leads.services import public_report_submit


def test_it_titles_an_unregistered_online_report_by_its_received_date(org, client):
    lead, code = public_report_submit(
        office=org.office_a, category=LeadCategory.BUSINESS, summary="某所民警收受当事人财物"
    )
    client.force_login(org.intake)
    page = client.get(f"/leads/{lead.pk}/").content.decode()
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    heading = re.search(r"<h1>(.*?)</h1>", page, re.S).group(1)
    today = timezone.localdate().strftime("%Y-%m-%d")
    for text in (title, heading):
        assert "未登记网上举报" in text
        assert today in text
        assert f"#{lead.pk}" not in text
    assert code not in page
