"""The fixed cast (healthchecks' alice/bob/charlie), browser fixtures and helpers.

Tree:  province ─ city ─┬─ district_a ─┬─ court_a
                        │              └─ police_a ─ station_a1
                        └─ district_b ─ court_b
"""

from __future__ import annotations

import os
import shutil
from types import SimpleNamespace

import pytest

from rectify.models import Role, UnitKind, UnitLevel
from tests.factories import (
    CampaignFactory,
    OfficeFactory,
    UnitFactory,
    UserFactory,
    grant,
    officer_with_login,
)


@pytest.fixture
def campaign(db):
    return CampaignFactory()


@pytest.fixture
def org(db, campaign):
    """A small province with one account per role. Returns a namespace."""
    province = UnitFactory(code="P", name="测试省", kind=UnitKind.REGION, level=UnitLevel.PROVINCE)
    city = UnitFactory(
        parent=province, code="C", name="测试市", kind=UnitKind.REGION, level=UnitLevel.CITY
    )
    district_a = UnitFactory(parent=city, code="DA", name="甲区", kind=UnitKind.REGION)
    court_a = UnitFactory(parent=district_a, code="DA-COURT", name="甲区法院", kind=UnitKind.COURT)
    police_a = UnitFactory(
        parent=district_a, code="DA-POL", name="甲区公安分局", kind=UnitKind.POLICE
    )
    station_a1 = UnitFactory(
        parent=police_a,
        code="DA-POL-1",
        name="甲区一派出所",
        kind=UnitKind.STATION,
        level=UnitLevel.SUBUNIT,
    )
    district_b = UnitFactory(parent=city, code="DB", name="乙区", kind=UnitKind.REGION)
    court_b = UnitFactory(parent=district_b, code="DB-COURT", name="乙区法院", kind=UnitKind.COURT)
    office_a = OfficeFactory(
        name="甲区教育整顿办", short_name="甲区", host_unit=district_a, jurisdiction=district_a
    )
    office_b = OfficeFactory(
        name="乙区教育整顿办", short_name="乙区", host_unit=district_b, jurisdiction=district_b
    )

    officer_a = officer_with_login(court_a, "officer_a", name="张三", number="A001")
    officer_a2 = officer_with_login(station_a1, "officer_a2", name="李四", number="A002")
    officer_b = officer_with_login(court_b, "officer_b", name="王五", number="B001")
    cadre_a = officer_with_login(
        court_a, "cadre_a", name="赵院长", number="A900", is_leading_cadre=True, position="院长"
    )

    reviewer = UserFactory(username="reviewer_a")
    grant(reviewer, Role.REVIEWER, district_a)
    intake = UserFactory(username="intake_a")
    grant(intake, Role.INTAKE, district_a, office_a)
    office_staff = UserFactory(username="office_a")
    grant(office_staff, Role.OFFICE, district_a, office_a)
    handler_officer = officer_with_login(police_a, "handler_a", name="孙承办", number="A100")
    grant(handler_officer.user, Role.HANDLER, police_a)
    unit_head = officer_with_login(
        police_a, "head_a", name="周局长", number="A101", is_leading_cadre=True, position="局长"
    )
    grant(unit_head.user, Role.UNIT_HEAD, police_a)
    chief = UserFactory(username="chief")
    grant(chief, Role.LEADER, city)
    outsider = UserFactory(username="outsider")
    grant(outsider, Role.OFFICE, district_b, office_b)
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    grant(admin, Role.ADMIN, province)

    return SimpleNamespace(
        campaign=campaign,
        province=province,
        city=city,
        district_a=district_a,
        court_a=court_a,
        police_a=police_a,
        station_a1=station_a1,
        district_b=district_b,
        court_b=court_b,
        office_a=office_a,
        office_b=office_b,
        officer_a=officer_a,
        officer_a2=officer_a2,
        officer_b=officer_b,
        cadre_a=cadre_a,
        handler=handler_officer,
        unit_head=unit_head,
        reviewer=reviewer,
        intake=intake,
        office_staff=office_staff,
        chief=chief,
        outsider=outsider,
        admin=admin,
    )


def refresh_units(*units):
    for unit in units:
        unit.refresh_from_db()


# --- browser (Playwright driving Debian's chromium) ---------------------------------

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def chromium_path():
    path = shutil.which("chromium")
    if not path:
        message = "browser tests need Debian's chromium package (apt-get install -y chromium)"
        if os.environ.get("CI"):
            pytest.fail(message + " — CI must not skip them")
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def browser(chromium_path):
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # The page's locale (zh-CN) covers Accept-Language and Intl; the browser's own texts
        # (validation bubbles, date pickers) follow the process language and need Debian's
        # chromium-l10n. LANG stays a locale every machine has: under an uninstalled
        # zh_CN.UTF-8 Chromium names a download with a Chinese file name "download".
        env = {**os.environ, "LANGUAGE": "zh_CN", "LANG": "C.UTF-8"}
        browser = playwright.chromium.launch(
            executable_path=chromium_path, args=CHROMIUM_ARGS, env=env
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh desktop-size browser context (1366×768) against the live server."""
    context = browser.new_context(
        viewport={"width": 1366, "height": 768}, locale="zh-CN", base_url=live_server.url
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, live_server):
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
        base_url=live_server.url,
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def login(page, username: str, password: str = "demo-pass-123") -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    # Wait for the navigation the click starts, not for the page that is already loaded.
    with page.expect_navigation():
        page.click("button[type=submit]")


# --- every test starts with an empty cache ----------------------------------------------


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate limits (public page, status look-ups) count in the cache per client address, and
    every test client is 127.0.0.1: without this, a test that sends many requests (the bad
    input walker) leaves a later test's reporter rate-limited."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


# --- the append-only audit table vs. pytest-django's flush --------------------------


@pytest.fixture(autouse=True)
def _audit_triggers_lifted_for_flush(request):
    """After a transactional test pytest-django empties every table, which the audit
    triggers refuse. Lift them just for that flush; `post_migrate`, which the flush sends,
    puts them back (rectify.apps)."""
    marker = request.node.get_closest_marker("django_db")
    transactional = (
        "transactional_db" in request.fixturenames
        or "live_server" in request.fixturenames
        or bool(marker and marker.kwargs.get("transaction"))
    )
    if transactional:
        request.getfixturevalue("_audit_triggers_off_at_teardown")
    yield


@pytest.fixture
def _audit_triggers_off_at_teardown(transactional_db, django_db_blocker):
    yield
    from django.db import connection

    from rectify.audit_triggers import remove_audit_triggers

    with django_db_blocker.unblock():
        remove_audit_triggers(connection)
