"""Error pages speak Chinese, and the demo does not run with DEBUG's pattern listing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import RequestFactory
from django.views import defaults

ROOT = Path(__file__).resolve().parents[2]


def test_it_answers_a_missing_page_with_the_chinese_404(org, client):
    client.force_login(org.officer_a.user)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "页面不存在" in body
    assert "返回首页" in body
    assert "Not Found" not in body


def test_it_answers_a_missing_object_with_the_chinese_404(org, client):
    client.force_login(org.admin)
    response = client.get("/org/units/999999/children/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_it_answers_a_forbidden_page_with_the_chinese_403(org, client):
    client.force_login(org.officer_a.user)
    response = client.get("/org/audit/")
    assert response.status_code == 403
    body = response.content.decode()
    assert "无权访问" in body
    assert "403 Forbidden" not in body


def test_it_answers_a_stale_form_with_the_chinese_csrf_403(org):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(org.officer_a.user)
    response = client.post("/accounts/logout/")
    assert response.status_code == 403
    assert "页面已过期" in response.content.decode()


@pytest.mark.django_db
def test_it_renders_the_chinese_400_and_500_pages():
    request = RequestFactory().get("/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    bad = defaults.bad_request(request, Exception("bad"))
    assert bad.status_code == 400
    assert "请求有误" in bad.content.decode()
    # server_error renders with no context at all: the page must not need one.
    error = defaults.server_error(request)
    assert error.status_code == 500
    assert "系统出错" in error.content.decode()


DEMO_PROBE = """
import django
django.setup()
from django.conf import settings
from django.test import Client
client = Client()
missing = client.get("/no-such-page/")
css = client.get("/static/css/app.css")
print("DEBUG", settings.DEBUG)
print("STATUS", missing.status_code)
print("STATIC", css.status_code)
print(missing.content.decode())
"""


def test_it_runs_the_demo_settings_without_debug_and_with_static_files(tmp_path):
    """`python3 dev.py demo` uses rectify.settings.dev: a missing page is the Chinese 404
    (not the debug page listing every URL pattern), and static files are still served from
    a fresh clone (no collectstatic)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DATABASE_URL")}
    env.update(
        DJANGO_SETTINGS_MODULE="rectify.settings.dev",
        DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}",
    )
    out = subprocess.run(
        [sys.executable, "-c", DEMO_PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    assert "DEBUG False" in out
    assert "STATUS 404" in out
    assert "STATIC 200" in out
    assert "页面不存在" in out
    assert "URLconf" not in out  # the debug page's pattern listing
