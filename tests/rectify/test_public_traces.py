"""No traces of reporters: no long-lived cookie, no address or browser in the access log."""

from __future__ import annotations

import http.client
import json
import os
import re
import runpy
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest
import yaml
from django.db import connection
from django.urls import reverse

from leads.models import Lead, LeadCategory


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["leads:public_report", "leads:public_status"])
def test_it_sets_no_long_lived_cookie_on_the_public_pages(client, org, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert response.cookies, "the page sets its CSRF cookie"
    for morsel in response.cookies.values():
        # Neither Max-Age nor Expires: the cookie dies with the browser session.
        assert not morsel["max-age"] and not morsel["expires"], morsel.OutputString()


# --- the real production command ------------------------------------------------------

REPORTER_ADDR = "127.0.0.3"  # the TCP peer gunicorn sees
FORWARDED_ADDR = "203.0.113.77"  # what a proxy in front would add
REPORTER_UA = "ReporterPhone/9.9 (unique-ua-marker-7731)"
ROOT = Path(__file__).resolve().parents[2]


def _production_command() -> list[str]:
    """The CMD of the Dockerfile, which docker-compose's web service runs too."""
    line = next(
        line for line in (ROOT / "Dockerfile").read_text().splitlines() if line.startswith("CMD ")
    )
    command = json.loads(line[4:])
    assert command[0] == "gunicorn"
    return [str(Path(sys.executable).parent / "gunicorn"), *command[1:]]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.2", 0))
        return s.getsockname()[1]


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class _Browser:
    """A reporter's browser: one address, one user agent, its cookies."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str]:
        conn = http.client.HTTPConnection(
            "127.0.0.2", self.port, timeout=30, source_address=(REPORTER_ADDR, 0)
        )
        headers = {
            "User-Agent": REPORTER_UA,
            "X-Forwarded-For": FORWARDED_ADDR,
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        text = response.read().decode()
        conn.close()
        return response.status, text

    def csrf(self, page: str) -> str:
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert match, "the form carries a CSRF token"
        return match.group(1)


@pytest.mark.django_db(transaction=True)
def test_it_logs_neither_address_nor_user_agent_of_a_public_report_with_gunicorn(org):
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "rectify.settings.test",
        "DATABASE_URL": _database_url(),
        "GUNICORN_WORKERS": "1",
        "TRUSTED_PROXY_COUNT": "1",
    }
    proc = subprocess.Popen(
        [*_production_command(), "--bind", f"127.0.0.2:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        browser = _Browser(port)
        deadline = time.monotonic() + 60
        while True:
            try:
                status, page = browser.request("GET", reverse("leads:public_report"))
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.3)
        assert status == 200
        status, receipt = browser.request(
            "POST",
            reverse("leads:public_report"),
            {
                "csrfmiddlewaretoken": browser.csrf(page),
                "office": org.office_a.pk,
                "category": LeadCategory.INTERFERENCE,
                "summary": "某干警多次过问他人案件并收受好处，时间地点如下。",
            },
        )
        # Post/redirect/get: the code is shown once on the receipt page.
        assert status == 302, receipt
        status, receipt = browser.request("GET", reverse("leads:public_receipt"))
        assert status == 200 and 'id="receipt-code"' in receipt, receipt
        status, page = browser.request("GET", reverse("leads:public_status"))
        assert status == 200
        browser.request(
            "POST",
            reverse("leads:public_status"),
            {"csrfmiddlewaretoken": browser.csrf(page), "code": "NOPE-NOPE"},
        )
        # A staff page is logged, so the log is really being written ...
        assert browser.request("GET", reverse("login"))[0] == 200
    finally:
        proc.terminate()
        output, _ = proc.communicate(timeout=30)
    assert Lead.objects.filter(office=org.office_a).count() == 1
    assert reverse("login") in output, output
    # ... and holds no trace of the reporter.
    assert REPORTER_ADDR not in output
    assert FORWARDED_ADDR not in output
    assert "unique-ua-marker-7731" not in output
    # The public pages are not access-logged at all (their time alone would date a report).
    assert f'"GET {reverse("login")}" 200' in output
    assert not re.search(r'"(GET|POST) /leads/report/', output), output


def test_it_runs_the_same_logging_in_docker_compose():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    web = compose["services"]["web"]["command"]
    assert web == ["gunicorn", *_production_command()[1:]]
    config = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
    for name in ("leads:public_report", "leads:public_status"):
        assert reverse(name).startswith(config["PUBLIC_PREFIXES"])
