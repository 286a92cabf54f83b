"""O4 public commitments and the acceptance survey, O5 practical matters, O6 typical cases."""

from __future__ import annotations

import datetime as dt
import re
import runpy
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from rectify.approval import ApprovalMixin, ApprovalStatus
from rectify.models import AuditEvent
from remediation.models import (
    Commitment,
    PracticalMatter,
    RemediationPolicy,
    SurveyCode,
    SurveyResponse,
    TypicalCase,
)
from remediation.selectors.public import item_survey_part
from remediation.services import public as services
from remediation.services import surveys
from selfcheck.models import WarningCase
from tests.factories import OfficerFactory, remediation_item

ROOT = Path(__file__).resolve().parents[2]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _batch(org, *, item=None, unit=None, size=3):
    return surveys.survey_batch_create(
        unit=unit or (item.unit if item else org.court_a),
        item=item,
        size=size,
        actor=org.office_staff,
    )


def _answer(client, code, satisfaction=5, comment="", **extra):
    return client.post(
        reverse("remediation:survey_answer"),
        {"code": code, "satisfaction": satisfaction, "comment": comment},
        **extra,
    )


def _assert_session_cookies_only(response):
    assert "sessionid" not in response.cookies, "no session for anonymous visitors"
    for morsel in response.cookies.values():
        assert not morsel["max-age"] and not morsel["expires"], morsel.OutputString()


# --- O4: commitments ------------------------------------------------------------------


def test_o4_public_commitments_page_no_login_no_cookie(client, org):
    client.force_login(org.office_staff)
    for title, published in (("承诺一：窗口办事不推诿", True), ("内部草稿承诺", False)):
        response = client.post(
            reverse("remediation:commitment_create"),
            {
                "unit": org.court_a.pk,
                "title": title,
                "text": "限时办结，群众监督",
                "is_published": "on" if published else "",
            },
        )
        assert response.status_code == 302, response.content.decode()
    assert Commitment.objects.filter(unit=org.court_a).count() == 2
    anonymous = Client()
    response = anonymous.get(reverse("remediation:public_unit", args=[org.court_a.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "承诺一：窗口办事不推诿" in page and "内部草稿承诺" not in page
    _assert_session_cookies_only(response)
    assert (
        response["Cache-Control"].startswith("no-store") or "no-store" in response["Cache-Control"]
    )
    survey_page = anonymous.get(reverse("remediation:survey"))
    assert survey_page.status_code == 200 and "csrftoken" in survey_page.cookies
    _assert_session_cookies_only(survey_page)
    assert anonymous.get(reverse("remediation:public_unit", args=[999999])).status_code == 404
    # The production servers do not log these pages (deploy/gunicorn.conf.py).
    config = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
    for url in (
        reverse("remediation:survey"),
        reverse("remediation:survey_answer"),
        reverse("remediation:public_unit", args=[1]),
    ):
        assert url.startswith(config["PUBLIC_PREFIXES"]), url
    assert "remediation/(survey|public)" in (ROOT / "deploy/nginx/rectify.conf").read_text()


def test_o4_commitment_edit_and_scope(client, org):
    commitment = services.commitment_create(
        unit=org.court_a,
        title="承诺",
        text="内容",
        due_date=None,
        is_published=False,
        actor=org.office_staff,
    )
    client.force_login(org.outsider)
    assert (
        client.get(reverse("remediation:commitment_edit", args=[commitment.pk])).status_code == 404
    )
    client.force_login(org.office_staff)
    response = client.post(
        reverse("remediation:commitment_edit", args=[commitment.pk]),
        {"title": "", "text": "内容", "due_date": "明天"},
    )
    page = response.content.decode()
    assert (
        response.status_code == 200 and "这个字段是必填项" in page and "输入一个有效的日期" in page
    )
    client.post(
        reverse("remediation:commitment_edit", args=[commitment.pk]),
        {"title": "承诺（修订）", "text": "内容", "is_published": "on"},
    )
    commitment.refresh_from_db()
    assert commitment.is_published and commitment.published_on == timezone.localdate()


# --- O4: the survey -------------------------------------------------------------------


def test_o4_survey_one_response_per_code(client, org):
    item = remediation_item(org.court_a)
    _batch_obj, codes = _batch(org, item=item, size=2)
    first = _answer(client, codes[0], 4, "整改到位")
    assert first.status_code == 302 and first["Location"] == reverse("remediation:survey_thanks")
    again = _answer(client, codes[0], 1, "再来一次")
    assert again.status_code == 409
    assert "该验收码已使用过" in again.content.decode()
    assert SurveyResponse.objects.filter(item=item).count() == 1
    # The QR link of a used code says so too.
    used = client.get(reverse("remediation:survey") + f"?code={codes[0]}")
    assert "该验收码已使用过" in used.content.decode()
    # A concurrent submit that passed the lookup before the first one committed is stopped
    # by the one-to-one constraint and answered the same way.
    code = SurveyCode.objects.get(response__isnull=False)
    SurveyCode.objects.filter(pk=code.pk).update(used_at=None)
    with pytest.raises(surveys.SurveyError, match="已使用过"):
        surveys.survey_answer(raw_code=codes[0], satisfaction=3, comment="")
    assert SurveyResponse.objects.count() == 1
    # Lower case and without the dash is the same code.
    assert _answer(client, codes[1].replace("-", "").lower(), 5).status_code == 302


def test_o4_survey_stores_no_ip(org):
    marker_ip, marker_fwd, marker_ua = "198.51.100.77", "203.0.113.99", "UA-marker-4417"
    item = remediation_item(org.court_a)
    _b, codes = _batch(org, item=item, size=1)
    visitor = Client(
        REMOTE_ADDR=marker_ip, HTTP_USER_AGENT=marker_ua, HTTP_X_FORWARDED_FOR=marker_fwd
    )
    visitor.get(reverse("remediation:survey") + f"?code={codes[0]}")
    assert _answer(visitor, codes[0], 5, "很好").status_code == 302
    response = SurveyResponse.objects.get()
    assert response.answered_on == timezone.localdate()
    event = AuditEvent.objects.get(action="remediation.surveyresponse.created")
    assert event.ip is None and event.actor_id is None
    # Nothing anywhere in the database holds the visitor's address or browser.
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - introspected names
            text = repr(cursor.fetchall())
            for marker in (marker_ip, marker_fwd, marker_ua):
                assert marker not in text, (table, marker)
    # The code itself is not stored either: only its digest.
    plain = surveys.normalise_code(codes[0])
    assert not SurveyCode.objects.filter(digest__contains=plain).exists()
    assert SurveyCode.objects.filter(digest=surveys.code_digest(plain)).exists()


def test_o4_survey_works_without_js(org):
    remediation_item(org.court_a)  # not surveyed: only the unit as a whole is
    services.commitment_create(
        unit=org.court_a,
        title="公开承诺：立案不推诿",
        text="当日登记",
        due_date=None,
        is_published=True,
        actor=org.office_staff,
    )
    _b, codes = _batch(org, unit=org.court_a, size=1)
    browser = Client(enforce_csrf_checks=True)
    entry = browser.get(reverse("remediation:survey")).content.decode()
    assert 'method="post"' in entry and "hx-" not in entry.split("<main", 1)[1].split("</main>")[0]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', entry).group(1)
    step = browser.post(
        reverse("remediation:survey"), {"csrfmiddlewaretoken": token, "code": codes[0]}
    )
    page = step.content.decode()
    assert step.status_code == 200 and "公开承诺：立案不推诿" in page
    assert 'type="radio"' in page and f'action="{reverse("remediation:survey_answer")}"' in page
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    code = re.search(r'name="code" value="([^"]+)"', page).group(1)
    done = browser.post(
        reverse("remediation:survey_answer"),
        {"csrfmiddlewaretoken": token, "code": code, "satisfaction": "3", "comment": "还行"},
    )
    assert done.status_code == 302
    assert SurveyResponse.objects.get(unit=org.court_a, item=None).satisfaction == 3
    assert "感谢您的参与" in browser.get(done["Location"]).content.decode()


def test_o4_survey_bad_input_answers_in_chinese(client, org):
    _b, codes = _batch(org, unit=org.court_a, size=1)
    page = _answer(client, codes[0], 9).content.decode()
    assert "请选择满意程度（1–5）" in page
    page = _answer(client, codes[0], 4, "长" * 1001).content.decode()
    assert "不超过 1000 字符" in page
    page = client.post(reverse("remediation:survey"), {"code": "AAAAA-BBBBB"}).content.decode()
    assert "验收码不正确" in page
    assert client.post(reverse("remediation:survey"), {"code": ""}).status_code == 200
    assert not SurveyResponse.objects.exists()


def test_o4_survey_guessing_is_limited_without_knowing_who(client, org, settings):
    settings.SURVEY_GUESS_LIMIT = 3
    _b, codes = _batch(org, unit=org.court_a, size=1)
    for _ in range(3):
        client.post(reverse("remediation:survey"), {"code": "ZZZZZ-ZZZZZ"})
    limited = client.post(reverse("remediation:survey"), {"code": codes[0]})
    assert limited.status_code == 429 and "错误次数过多" in limited.content.decode()


def test_o4_results_per_item_and_unit(client, org, django_assert_max_num_queries):
    item = remediation_item(org.court_a)
    other = remediation_item(org.police_a)
    _b, item_codes = _batch(org, item=item, size=3)
    _b, unit_codes = _batch(org, unit=org.court_a, size=1)
    _b, other_codes = _batch(org, item=other, size=1)
    for code, score in zip(item_codes, (5, 4, 2), strict=True):
        surveys.survey_answer(raw_code=code, satisfaction=score, comment="")
    surveys.survey_answer(raw_code=unit_codes[0], satisfaction=5, comment="")
    surveys.survey_answer(raw_code=other_codes[0], satisfaction=1, comment="")
    policy = RemediationPolicy.objects.get_or_create(campaign=item.plan.campaign)[0]
    policy.survey_min_responses, policy.survey_threshold = 3, "3.50"
    policy.save()

    def _results():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("remediation:survey_results"))
        return response, len(ctx)

    client.force_login(org.chief)
    response, small = _results()
    page = response.content.decode()
    assert response.status_code == 200
    unit_table = page.split('id="unit-results"')[1].split("</table>")[0]
    item_table = page.split('id="item-results"')[1].split("</table>")[0]
    # court_a: its item's three answers and its own one → 4 answers, average 4.00.
    assert re.search(r"甲区法院</td><td class=\"num\">4</td><td class=\"num\">4.00", unit_table)
    assert re.search(r"甲区公安分局</td><td class=\"num\">1</td><td class=\"num\">1.00", unit_table)
    assert item.number in item_table and "3.67" in item_table and "达标" in item_table
    assert "至少 3 份意见" in page and "3.50" in page
    # The item page's box: the summary against the bar, and the distribution.
    part = item_survey_part(org.office_staff, item)
    html = render_to_string("remediation/item/_survey.html", {"item": item, **part})
    assert part["survey_summary"].responses == 3 and part["survey_summary"].passed
    assert 'id="survey-passed"' in html and f"?item={item.pk}" in html
    assert part["survey_distribution"].counts == [0, 1, 0, 1, 1]
    # Constant queries: more items and answers, same count.
    for n in range(6):
        extra = remediation_item(org.court_a, number=f"RC-X-{n}")
        _b, codes = _batch(org, item=extra, size=2)
        for code in codes:
            surveys.survey_answer(raw_code=code, satisfaction=4, comment="")
    _response, big = _results()
    assert big == small
    # Office staff of another district see none of it; an officer may not open the page.
    client.force_login(org.outsider)
    assert "甲区法院" not in client.get(reverse("remediation:survey_results")).content.decode()
    client.force_login(org.officer_a.user)
    assert client.get(reverse("remediation:survey_results")).status_code == 403


def test_o4_slips_have_local_qr(client, org):
    item = remediation_item(org.court_a)
    client.force_login(org.office_staff)
    form = client.get(reverse("remediation:survey_batch_new") + f"?item={item.pk}")
    assert item.number in form.content.decode()
    response = client.post(
        reverse("remediation:survey_batch_create"),
        {"unit": org.court_a.pk, "item_number": item.number, "size": 4},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert page.count("<svg width=") == 4 and page.count('class="slip-qr"') == 4
    assert "<img" not in page
    external = [
        u
        for u in re.findall(r'(?:src|href|action)="(https?://[^"]*|//[^"]*)"', page)
        if not u.startswith("http://testserver/")
    ]
    assert external == []
    codes = re.findall(r'<span class="slip-code">([A-Z0-9-]+)</span>', page)
    assert len(codes) == 4 and item.description[:10] in page
    assert all(
        SurveyCode.objects.filter(digest=surveys.code_digest(surveys.normalise_code(c))).exists()
        for c in codes
    )
    # Bad input: a Chinese error next to the field, nothing created.
    response = client.post(
        reverse("remediation:survey_batch_create"),
        {"unit": org.court_a.pk, "item_number": "NO-SUCH", "size": 0},
    )
    page = response.content.decode()
    assert "份数至少为 1" in page
    response = client.post(
        reverse("remediation:survey_batch_create"),
        {"unit": org.court_a.pk, "item_number": "NO-SUCH", "size": 2},
    )
    assert "找不到该编号的整改问题" in response.content.decode()
    assert SurveyCode.objects.count() == 4
    # A unit outside the office's jurisdiction is not a choice.
    response = client.post(
        reverse("remediation:survey_batch_create"), {"unit": org.court_b.pk, "size": 2}
    )
    assert "选择一个有效的选项" in response.content.decode()


# --- O5: practical matters ------------------------------------------------------------


def _matter(org, unit, owner, *, days=10, public=False, title="为群众办实事"):
    return services.matter_create(
        unit=unit,
        title=title,
        commitment="设立便民窗口",
        owner=owner,
        deadline=timezone.localdate() + dt.timedelta(days=days),
        is_public=public,
        actor=org.office_staff,
    )


def test_o5_practical_matter_completion_rate(client, org):
    first = _matter(org, org.court_a, org.officer_a, public=True, title="便民窗口")
    _matter(org, org.court_a, org.officer_a, days=-2, title="逾期事项")
    _matter(org, org.police_a, org.unit_head)
    # The owner completes with evidence; without evidence is refused in Chinese.
    client.force_login(org.officer_a.user)
    response = client.post(
        reverse("remediation:matter_complete", args=[first.pk]), {"note": "已开通"}
    )
    assert "办结须上传佐证材料" in response.content.decode()
    response = client.post(
        reverse("remediation:matter_complete", args=[first.pk]),
        {"note": "已开通", "evidence": SimpleUploadedFile("照片.pdf", PDF)},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.completed_at and first.evidence.sha256
    download = client.get(reverse("remediation:matter_evidence", args=[first.pk]))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    bad = client.post(
        reverse("remediation:matter_complete", args=[first.pk]),
        {"note": "again", "evidence": SimpleUploadedFile("x.pdf", PDF)},
    )
    assert bad.status_code == 403
    # Completion per unit subtree on the list.
    client.force_login(org.office_staff)

    def _list(**params):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("remediation:matters"), params)
        return response.content.decode(), len(ctx)

    page, small = _list()
    rates = page.split('id="rates"')[1].split("</table>")[0]
    assert re.search(
        r"甲区</td><td class=\"num\">3</td><td class=\"num\">1</td>"
        r"<td class=\"num\">1</td><td class=\"num rm-rate\">33%",
        rates,
    )
    assert re.search(
        r"甲区法院</td><td class=\"num\">2</td><td class=\"num\">1</td>"
        r"<td class=\"num\">1</td><td class=\"num rm-rate\">50%",
        rates,
    )
    assert "0%" in rates  # police_a: one open matter
    # Filters and search.
    overdue, _n = _list(state="overdue")
    assert (
        "逾期事项" in overdue.split('id="matters"')[1]
        and "便民窗口" not in overdue.split('id="matters"')[1]
    )
    found, _n = _list(q="便民", unit=org.court_a.pk)
    assert "便民窗口" in found.split('id="matters"')[1]
    assert (
        client.get(reverse("remediation:matters"), {"unit": "abc", "state": "x"}).status_code == 200
    )
    # The public one shows on the unit's public page, the internal ones do not.
    public = Client().get(reverse("remediation:public_unit", args=[org.court_a.pk]))
    assert "便民窗口" in public.content.decode() and "逾期事项" not in public.content.decode()
    assert org.officer_a.name not in public.content.decode()
    # Constant queries per page.
    for n in range(8):
        _matter(org, org.court_a, org.officer_a, title=f"事项{n}")
    _page, big = _list()
    assert big == small
    # Invisible → 404.
    client.force_login(org.outsider)
    assert client.get(reverse("remediation:matter_detail", args=[first.pk])).status_code == 404
    assert client.get(reverse("remediation:matter_evidence", args=[first.pk])).status_code == 404


def test_o5_matter_owner_must_be_of_the_unit(client, org):
    stranger = OfficerFactory(unit=org.court_b)
    with pytest.raises(services.PublicError, match="责任人须为该单位"):
        _matter(org, org.court_a, stranger)
    client.force_login(org.office_staff)
    response = client.post(
        reverse("remediation:matter_create"),
        {
            "unit": org.court_a.pk,
            "title": "",
            "commitment": "x",
            "owner": "没有这个人",
            "deadline": "2020-13-01",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200 and "找不到该警号或姓名" in page and "有效的日期" in page
    assert not PracticalMatter.objects.exists()


# --- O6: typical cases ----------------------------------------------------------------


def test_o6_typical_case_needs_approval(client, org):
    client.force_login(org.office_staff)
    response = client.post(
        reverse("remediation:case_create"),
        {"unit": org.district_a.pk, "title": "某干警违规经商被查处", "body": "经查……给予处分。"},
    )
    case = TypicalCase.objects.get()
    assert response.status_code == 302 and case.status == ApprovalStatus.DRAFT
    public_url = reverse("remediation:public_unit", args=[org.district_a.pk])
    assert "某干警违规经商被查处" not in Client().get(public_url).content.decode()
    client.force_login(org.officer_a.user)
    assert client.get(reverse("remediation:case_detail", args=[case.pk])).status_code == 404
    client.force_login(org.office_staff)
    client.post(reverse("remediation:case_submit", args=[case.pk]))
    case.refresh_from_db()
    assert case.status == ApprovalStatus.PENDING
    # The office may not approve its own draft; only a leader of the subtree may.
    assert (
        client.post(
            reverse("remediation:case_decide", args=[case.pk]), {"decision": "approve"}
        ).status_code
        == 403
    )
    with pytest.raises(services.PublicError, match="无权审批"):
        services.typical_case_decide(case=case, approve=True, actor=org.office_staff)
    client.force_login(org.chief)
    bad = client.post(reverse("remediation:case_decide", args=[case.pk]), {"decision": "maybe"})
    assert bad.status_code == 302
    assert "请选择审批结论" in client.get(bad["Location"]).content.decode()
    client.post(
        reverse("remediation:case_decide", args=[case.pk]),
        {"decision": "approve", "note": "同意宣传"},
    )
    case.refresh_from_db()
    assert case.status == ApprovalStatus.PUBLISHED and case.decided_by == org.chief
    assert AuditEvent.objects.filter(action="remediation.typicalcase.approved").count() == 1
    assert "某干警违规经商被查处" in Client().get(public_url).content.decode()
    client.force_login(org.officer_a.user)
    assert client.get(reverse("remediation:case_detail", args=[case.pk])).status_code == 200
    client.force_login(org.outsider)
    assert client.get(reverse("remediation:case_detail", args=[case.pk])).status_code == 404
    # Decided once: a second decision is refused in Chinese.
    with pytest.raises(services.PublicError, match="只有待审批的内容可以审批"):
        services.typical_case_decide(case=case, approve=False, actor=org.chief)


def test_o6_shares_the_approval_mechanism_with_selfcheck_warning_cases():
    assert issubclass(WarningCase, ApprovalMixin) and issubclass(TypicalCase, ApprovalMixin)
    for name in ("status", "decided_by", "decided_at", "decision_note"):
        assert WarningCase._meta.get_field(name).model is WarningCase
        assert TypicalCase._meta.get_field(name).model is TypicalCase
    from selfcheck.models import CaseStatus

    assert CaseStatus is ApprovalStatus


def test_o4_item_page_shows_the_survey_box(client, org):
    item = remediation_item(org.court_a)
    _b, codes = _batch(org, item=item, size=2)
    surveys.survey_answer(raw_code=codes[0], satisfaction=5, comment="")
    client.force_login(org.office_staff)
    page = client.get(reverse("remediation:item_detail", args=[item.pk])).content.decode()
    box = page.split('id="item-survey"')[1].split("</section>")[0]
    assert "已收到 1 份意见" in box and 'id="survey-not-passed"' in box
    assert reverse("remediation:survey_batch_new") + f"?item={item.pk}" in box
