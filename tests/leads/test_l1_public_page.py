"""The public reporting page (/leads/report/): only accepted reports count toward the hourly
limit and the limit says how long to wait; post/redirect/get with the receipt code shown
once (not in a URL, not in a lasting cookie); a public footer; no preselected category."""

from __future__ import annotations

import re

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.urls import reverse

from leads.models import Lead

pytestmark = pytest.mark.django_db

REPORT = {"category": "umbrella", "summary": "钱某长期为某涉黑团伙通风报信，收受好处费"}


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def _post(client, data, **extra):
    return client.post(reverse("leads:public_report"), data, REMOTE_ADDR="203.0.113.9", **extra)


def test_l1_only_accepted_reports_count_and_the_limit_says_how_long_to_wait(client, org, settings):
    settings.LEADS_PUBLIC_RATE = 2
    for _ in range(4):  # mistakes: not counted
        response = _post(client, {"office": org.office_a.pk, "summary": "太短"})
        assert response.status_code == 200
    good = {"office": org.office_a.pk, **REPORT}
    assert _post(client, good).status_code == 302
    assert _post(client, good).status_code == 302
    response = _post(client, good)
    assert response.status_code == 429
    page = response.content.decode()
    assert "每小时最多提交 2 件举报" in page
    minutes = int(re.search(r"请约 (\d+) 分钟后再试", page).group(1))
    assert 1 <= minutes <= 60
    assert Lead.objects.count() == 2


def test_l1_receipt_code_is_shown_once_after_a_redirect(client, org, settings):
    response = _post(client, {"office": org.office_a.pk, **REPORT})
    assert response.status_code == 302
    assert response["Location"] == reverse("leads:public_receipt")
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert not cookie["max-age"] and not cookie["expires"]  # ends with the browser
    stored = repr([s.get_decoded() for s in Session.objects.all()])
    page = client.get(response["Location"])
    code = re.search(r'id="receipt-code">([0-9A-Z-]+)<', page.content.decode()).group(1)
    assert len(code.replace("-", "")) == 20 and "no-store" in page["Cache-Control"]
    assert code not in response["Location"] and code not in stored  # encrypted meanwhile
    # A refresh shows a notice, not the code again and not an error.
    again = client.get(reverse("leads:public_receipt"))
    text = again.content.decode()
    assert again.status_code == 200 and code not in text and 'id="receipt-shown"' in text
    assert "查询码只在提交后显示一次" in text
    # The code still opens the status page.
    status = client.post(reverse("leads:public_status"), {"code": code})
    assert status.status_code == 200 and 'id="status-text"' in status.content.decode()


def test_l1_public_pages_have_a_public_footer(client, org):
    for url in (
        reverse("leads:public_report"),
        reverse("leads:public_status"),
        reverse("leads:public_receipt"),
    ):
        page = client.get(url).content.decode()
        assert "内部工作平台" not in page and "数据涉密" not in page, url
        assert 'id="public-footer"' in page, url
    client.force_login(org.office_staff)
    assert "内部工作平台" in client.get(reverse("leads:ledger")).content.decode()


def test_l1_no_category_is_preselected(client, org):
    page = client.get(reverse("leads:public_report")).content.decode()
    select = re.search(r'<select name="category".*?</select>', page, re.S).group(0)
    assert '<option value="" selected>请选择问题类别</option>' in select
    assert select.count("selected") == 1
    response = _post(client, {"office": org.office_a.pk, "summary": REPORT["summary"]})
    assert response.status_code == 200 and "这个字段是必填项" in response.content.decode()
    assert not Lead.objects.exists()
