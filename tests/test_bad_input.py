"""Bad input never answers 500: every URL pattern, as every demo role, with crafted values.

The walk reads the URL patterns from the resolver (nothing to keep in sync by hand), fills
the path converters with real and bogus ids, sends the crafted query parameters of issue 9
on every GET, then posts garbage into every form field the page draws (and a fixed set of
names on POST-only endpoints). Garbage must be ignored or refused with a 4xx (400, 403,
404, 405, 422), never a 500.
"""

from __future__ import annotations

import re
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from rectify.models import ChronicProblem

PARAMS = [
    "office",
    "unit",
    "after",
    "v",
    "a",
    "b",
    "level",
    "about",
    "channel",
    "status",
    "category",
    "officer",
    "q",
    "from",
    "to",
    "since",
    "until",
    "year",
    "month",
    "days",
    "show",
    "page",
    "handler",
    "exclude",
    "officers",
    "kind",
    "risk",
    "overdue",
    "period",
    "date_from",
    "date_to",
    "yes_item",
    "cadre",
    "late",
    "code",
]
# ... and every name the code reads from a query string, so a new parameter is walked too.
_READ_RE = re.compile(
    r"""(?:GET|params|data)\.(?:get|getlist)\(\s*["'](\w+)["']|_param\(\s*\w+(?:\.GET)?,\s*["'](\w+)["']"""
)
PARAMS += sorted(
    {
        name
        for root in ("rectify", "leads", "selfcheck", "remediation")
        for source in (Path(__file__).resolve().parents[1] / root).rglob("*.py")
        for match in _READ_RE.finditer(source.read_text(encoding="utf-8"))
        for name in match.groups()
        if name
    }
    - set(PARAMS)
)
# Issue 9's values (?office=², ?office=99999999999999999999999, ?unit=abc, ?v=abc and the
# forged cursor ["x", "x"]) and a few more, spread over every parameter at once: garbage
# is ignored, so one request exercises every parameter a view reads.
GARBAGE = ["²", "99999999999999999999999", "abc", "1e30", "\x00", "9999-12-31", "0001-01-01"]
CURSORS = [
    "WyJ4IiwgIngiXQ",  # ["x", "x"]
    "W251bGxd",  # [null]
    "WzFd",  # [1]
    "!!!",
    "eyJhIjogMX0",  # {"a": 1}
    "WzFlOTk5XQ",  # [1e999]
    "WyI5OTk5LTEyLTMxIiwgOTk5OTk5OTk5OTk5OTk5OTk5OTk5OTld",  # ["9999-12-31", 10**23]
]
POST_GARBAGE = ["NaN", "1e30", "99999999999999999999999", "x" * 6001, "²"]

# Path converters: real ids (first and last row of the model the URL is about) and bogus.
BOGUS_IDS = [99999999, 99999999999999999999999]
ROLES = [
    None,
    "officer",
    "cadre",
    "unithead",
    "handler",
    "reviewer",
    "intake",
    "office",
    "leader",
    "admin",
]
POST_NAMES = ["summary", "text", "reason", "amount", "unit", "officer", "pk", "role", "op"]
NAME_RE = re.compile(r'name="([^"]+)"')


def _patterns(resolver=None, prefix="", namespace=None):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or namespace
            yield from _patterns(pattern, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


def _real_ids() -> dict[str, list[int]]:
    from leads.models import Lead, LeadAttachment, LeadImportJob
    from rectify.models import Officer, Unit
    from selfcheck.models import Question, SelfCheckReport, WarningCase

    ids: dict[str, list[int]] = {}
    for key, model in {
        "leads/": Lead,
        "attachments/": LeadAttachment,
        "import/": LeadImportJob,
        "officer/": Officer,
        "units/": Unit,
        "reports/": SelfCheckReport,
        "questions/": Question,
        "cases/": WarningCase,
    }.items():
        pks = list(model.objects.order_by("pk").values_list("pk", flat=True))
        ids[key] = sorted({pks[0], pks[-1]}) if pks else []
    return ids


def _fill(route: str, ids: dict[str, list[int]]) -> list[str]:
    """Concrete paths for a route: each converter gets real ids of its model, then bogus."""
    parts = re.split(r"(<[^>]+>)", route)
    paths = [""]
    for i, part in enumerate(parts):
        if not part.startswith("<"):
            paths = [p + part for p in paths]
            continue
        converter = part[1:-1].split(":")[0] if ":" in part else "str"
        if converter == "int":
            static = parts[i - 1] if i else ""
            real = next((v for k, v in ids.items() if static.endswith(k)), None)
            values = (real or [1]) + BOGUS_IDS
        elif converter == "slug":
            values = ["assign", "conclude", "no-such-action"]
        elif converter == "path":
            values = ["1", "abc", "1/change"]
        else:
            values = ["1", "abc", "²"]
        paths = [p + str(v) for p in paths for v in values][:12]
    return ["/" + p for p in paths]


QUERIES = 4


def _crafted_queries() -> list[dict[str, str]]:
    """QUERIES requests that together put every garbage value into every parameter slot
    pattern: parameter j of query i gets GARBAGE[(i + j) % len], so neighbouring parameters
    (office, unit, after, v) differ; the first query is exactly issue 9's list."""
    queries = []
    for i in range(QUERIES):
        query = {k: GARBAGE[(i + j) % len(GARBAGE)] for j, k in enumerate(PARAMS)}
        query["after"] = CURSORS[i % len(CURSORS)]
        queries.append(query)
    queries[0].update(office="²", unit="abc", v="abc", after="WyJ4IiwgIngiXQ")
    queries[1].update(office="99999999999999999999999", unit="²", v="²")
    queries[2].update(after="W251bGxd", office="\x00", unit="1e30")
    queries[3].update(after="WzFlOTk5XQ", to="9999-12-31", date_to="9999-12-31")
    return queries


def _form_names(html: str) -> list[str]:
    return sorted({n for n in NAME_RE.findall(html) if n != "csrfmiddlewaretoken"})


@pytest.mark.django_db
def test_it_answers_no_500_to_crafted_input_on_any_url_as_any_role():
    call_command("seed_demo", stdout=StringIO())
    from rectify.models import User

    ids = _real_ids()
    routes = [r for r, _ in _patterns() if r != "accounts/logout/"]
    failures: list[str] = []
    requests = 0

    def send(client: Client, method: str, path: str, data: dict, role: str | None):
        nonlocal requests
        requests += 1
        try:
            response = getattr(client, method)(path, data)
        except Exception as exc:  # the test client re-raises what the view raised
            failures.append(f"{role} {method} {path} {data!r:.100}: {exc!r:.200}")
            return None
        if response.status_code >= 500:
            failures.append(f"{role} {method} {path} {data!r:.100}: {response.status_code}")
        return response

    reached: dict[str | None, int] = dict.fromkeys(ROLES, 0)
    for role in ROLES:
        client = Client(raise_request_exception=True)
        if role:
            client.force_login(User.objects.get(username=role))
        for route in routes:
            # Django's admin is Django's own code: one pass with garbage, not the full walk.
            admin = route.startswith("admin/")
            if admin and role != "admin":
                continue
            for n, path in enumerate(_fill(route, ids)[: 1 if admin else None]):
                response = send(client, "get", path, {}, role)
                status = response.status_code if response else 500
                if n and status in (404, 405):
                    continue  # a bogus id: one answer is enough
                names = POST_NAMES
                if status == 200:
                    reached[role] += 1
                    if response["Content-Type"].startswith("text/html"):
                        names = _form_names(response.content.decode()) or POST_NAMES
                    for query in _crafted_queries()[: 2 if admin else None]:
                        send(client, "get", path, query, role)
                posts = POST_GARBAGE if status in (200, 405) and not admin else POST_GARBAGE[:1]
                for value in posts:
                    send(client, "post", path, dict.fromkeys(names, value), role)
    # The walk must reach the pages, not stop at a login or second-factor redirect.
    assert all(reached[role] >= 5 for role in ROLES if role), reached
    assert not failures, f"{len(failures)} of {requests} requests failed:\n" + "\n".join(failures)


# --- the findings one by one (issue 9), on the fixed cast ---------------------------------


def _hotline():
    from leads.models import Channel

    return Channel.objects.get(code="hotline")


@pytest.mark.parametrize(
    "query",
    [
        {"office": "²"},
        {"office": "99999999999999999999999"},
        {"unit": "²"},
        {"channel": "99999999999999999999999"},
        {"after": "WyJ4IiwgIngiXQ"},
    ],
)
@pytest.mark.django_db
def test_it_ignores_garbage_filters_and_cursors_on_the_ledger_and_its_export(client, org, query):
    from leads.services import lead_register

    lead = lead_register(
        office=org.office_a,
        actor=org.intake,
        received_date=timezone.localdate(),
        channel=_hotline(),
        category="interference",
        summary="反映某干警过问他人案件",
    )
    client.force_login(org.office_staff)
    ledger = client.get(reverse("leads:ledger"), query)
    assert ledger.status_code == 200
    assert lead in ledger.context["page"].items  # the garbage filter is ignored
    assert client.get(reverse("leads:ledger_export"), query).status_code == 200


@pytest.mark.parametrize("path", ["leads:oversight", "leads:risk_notes", "leads:screening"])
@pytest.mark.django_db
def test_it_ignores_forged_cursors_and_overflowing_numbers_on_oversight_pages(client, org, path):
    client.force_login(org.chief)
    for query in (
        {"after": "WyJ4IiwgIngiXQ"},
        {"level": "99999999999999999999999", "unit": "²"},
    ):
        assert client.get(reverse(path), query).status_code in (200, 403)


@pytest.mark.django_db
def test_it_ignores_garbage_in_similar_lead_lookups(client, org):
    client.force_login(org.intake)
    query = {"summary": "反映某干警过问案件", "officers": ["²", "99999999999999999999999"]}
    response = client.get(reverse("leads:similar"), {**query, "exclude": "99999999999999999999999"})
    assert response.status_code == 200


@pytest.mark.django_db
def test_it_shows_the_latest_version_for_a_garbage_version_number(client, org):
    from tests.selfcheck.conftest import submit

    report = submit(org.officer_a, org.campaign).report
    client.force_login(org.reviewer)
    for name in ("selfcheck:report_detail", "selfcheck:report_print"):
        for v in ("abc", "²", "99999999999999999999999"):
            response = client.get(reverse(name, args=[report.pk]), {"v": v})
            assert response.status_code == 200
            assert response.context["version"].number == 1
    assert (
        client.get(reverse("selfcheck:report_detail", args=[report.pk]), {"v": 7}).status_code
        == 404
    )


@pytest.mark.django_db
def test_it_ignores_a_garbage_unit_on_selfcheck_figures_and_exports(client, org):
    client.force_login(org.reviewer)
    for name in ("selfcheck:figures", "selfcheck:figures_export", "selfcheck:export"):
        for unit in ("abc", "²", "99999999999999999999999"):
            assert client.get(reverse(name), {"unit": unit}).status_code == 200


@pytest.mark.django_db
def test_it_ignores_a_garbage_cursor_on_the_audit_and_officer_lists(client, org):
    client.force_login(org.admin)
    for name in ("rectify:audit_list", "rectify:officer_list"):
        for cursor in ("W251bGxd", "WyJ4IiwgIngiXQ", "WzFlOTk5XQ", "!!!"):
            assert client.get(reverse(name), {"after": cursor}).status_code == 200
    response = client.get(reverse("rectify:audit_list"), {"date_to": "9999-12-31"})
    assert response.status_code == 200
    assert "日期超出范围" in str(response.context["form"].errors["date_to"])


@pytest.mark.django_db
def test_it_refuses_a_subject_name_over_100_characters_on_registration(client, org):
    from leads.models import Lead

    hotline = _hotline()

    client.force_login(org.intake)
    data = {
        "office": org.office_a.pk,
        "received_date": timezone.localdate().isoformat(),
        "channel": hotline.pk,
        "category": "interference",
        "summary": "反映某干警过问案件",
        "reporter_anonymous": "on",
        "subjects": "张" * 101,
    }
    response = client.post(reverse("leads:register"), data)
    assert response.status_code == 200
    assert "每个被反映人的姓名或警号不能超过 100 个字" in response.content.decode()
    assert not Lead.objects.exists()
    data["subjects"] = "张" * 100 + "、李四"
    assert client.post(reverse("leads:register"), data).status_code == 302
    assert sorted(Lead.objects.get().subjects.values_list("name", flat=True)) == [
        "张" * 100,
        "李四",
    ]


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("NaN", "不能是 NaN 或无穷大"),
        ("Infinity", "不能是 NaN 或无穷大"),
        ("-inf", "不能是 NaN 或无穷大"),
        ("1e30", "数字超出允许范围"),
        ("1000000000000", "数字超出允许范围"),
        ("-5", "金额应为不小于0的数字"),
    ],
)
@pytest.mark.django_db
def test_it_refuses_a_lending_amount_that_is_not_a_storable_number(client, org, amount, message):
    from selfcheck.models import LendingRow, SelfCheckReport
    from tests.selfcheck.conftest import post_data

    client.force_login(org.officer_a.user)
    lending = [{"counterparty": "张某", "amount": amount, "date": "", "duty_relation": "无"}]
    data = post_data(yes=(ChronicProblem.LENDING,), lending=lending)
    response = client.post(reverse("selfcheck:my_report_submit"), data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not LendingRow.objects.exists()
    assert SelfCheckReport.objects.get().status == "draft"


@pytest.mark.django_db
def test_it_stores_the_largest_lending_amount_exactly_and_refuses_one_more(client, org):
    from selfcheck.models import LendingRow
    from tests.selfcheck.conftest import post_data

    client.force_login(org.officer_a.user)
    over = [{"counterparty": "张某", "amount": "1,000,000,000,000", "duty_relation": "无"}]
    data = post_data(yes=(ChronicProblem.LENDING,), lending=over)
    assert client.post(reverse("selfcheck:my_report_submit"), data).status_code == 422
    lending = [{"counterparty": "张某", "amount": "999,999,999,999.99", "duty_relation": "无"}]
    data = post_data(yes=(ChronicProblem.LENDING,), lending=lending)
    assert client.post(reverse("selfcheck:my_report_submit"), data).status_code == 302
    row = LendingRow.objects.get()
    row.refresh_from_db()
    assert row.amount == Decimal("999999999999.99")


@pytest.mark.django_db
def test_it_answers_400_in_chinese_to_a_nul_character_in_any_parameter(client, org):
    client.force_login(org.office_staff)
    response = client.get(reverse("leads:ledger"), {"q": "abc\x00"})
    assert response.status_code == 400
    assert "请求有误" in response.content.decode()
    response = client.post(reverse("selfcheck:items"), {"toggle": "\x00"})
    assert response.status_code == 400


@pytest.mark.django_db
def test_it_refuses_an_over_long_login_name_before_authenticating(client, org):
    from axes.models import AccessAttempt

    response = client.post(reverse("login"), {"username": "x" * 6001, "password": "x"})
    assert response.status_code == 200
    assert "用户名最多150个字符" in response.content.decode()
    assert not AccessAttempt.objects.filter(username__startswith="xxx").exists()
