"""`python manage.py bench pages`: the real pages over a generated province, side by side with
Django admin's changelist and the page's own SQL (#14).

Each app names its scenarios in `<app>.dev.bench_pages.scenarios(p)` (modules listed in
SCENARIO_MODULES, so the core imports no app), may register its models on the benchmark-only
admin site (`register_admin(site)`, served under /bench-admin/ by `rectify.bench_urls`, which
only this command uses) and may add heavy jobs (`jobs(p)`: export, import), run in a child
process whose wall time and peak RSS are measured.

A scenario is measured through the test client, so through the real URL, middleware, view,
queries and template: `repeat` samples after two warm-ups, each inside a transaction that is
rolled back (a POST leaves nothing behind), giving the median and p95 server time and the
number of queries. In the same run: the admin changelist named by the scenario (as a
superuser, with comparable filters) and the page's captured SELECTs replayed through the
cursor. List scenarios run on two datasets (`--scale` and `--compare`), and the ratio of the
medians shows how cost grows with data. `wrk` scenarios also get a throughput run: gunicorn
with the production settings and 2 workers on 127.0.0.1, and wrk for 30 s at 32 connections.
"""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.admin import AdminSite
from django.core.signals import request_started
from django.db import connection, reset_queries, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from .province import SCALES, Province, generate

SCENARIO_MODULES = (
    "selfcheck.dev.bench_pages",
    "leads.dev.bench_pages",
    "leads.dev.bench_jobs",
    "remediation.dev.bench_pages",
    "leadership.dev.bench_pages",
)
# Targets from the issue, by kind of page.
DEFAULT_TARGETS = {
    "list": {"p95_ms": 100, "queries": 20},
    "form": {"p95_ms": 100, "queries": 20},
    "dashboard": {"p95_ms": 200, "queries": 20},
    "report": {},
    "action": {"p95_ms": 100, "queries": 20},
}

site = AdminSite(name="bench_admin")


@dataclass
class Scenario:
    name: str  # "leads.ledger.office.first"
    title: str
    user: str  # a cast key: Province.user(key)
    path: str
    method: str = "get"
    data: dict | Callable[[], dict] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    kind: str = "list"
    admin_path: str | None = None
    sizes: bool = True
    targets: dict[str, float] = field(default_factory=dict)
    deep_of: str | None = None
    wrk: bool = False
    expect_status: int = 200


@dataclass
class Job:
    name: str
    title: str
    run: Callable[[Province], dict]
    targets: dict[str, float] = field(default_factory=dict)  # seconds, peak_mb


def deep_cursor(
    queryset: Any, ordering: tuple[str, ...], *, pages: int = 20, size: int = 50
) -> str:
    """The `?after=` cursor of page `pages + 1` of `queryset` in `ordering` (a deep page)."""
    from .pagination import _value_of
    from .params import encode_cursor

    names = [o.lstrip("-") for o in ordering]
    rows = list(queryset.order_by(*ordering)[pages * size - 1 : pages * size])
    if not rows:
        rows = list(queryset.order_by(*ordering)[:1])
    return encode_cursor([_value_of(rows[0], n) for n in names]) if rows else ""


def admin_page(rows: int, *, pages: int = 20, per_page: int = 100) -> int:
    """The admin changelist's page number (`?p=`, 1-based) as deep as the app's deep page
    (50 rows a page, `pages` pages in), or its last page on a small dataset."""
    return max(1, min(pages * 50 // per_page + 1, -(-rows // per_page)))


class _CoreScenarios:
    """The core's own list: the organisation's officers (administrator)."""

    @staticmethod
    def register_admin(site: AdminSite) -> None:
        from django.contrib import admin

        from .models import Officer

        class OfficerAdmin(admin.ModelAdmin):
            list_display = ("number", "name", "unit", "position", "is_leading_cadre")
            list_filter = ("is_leading_cadre",)
            search_fields = ("name", "number")

        if not site.is_registered(Officer):
            site.register(Officer, OfficerAdmin)

    @staticmethod
    def scenarios(p: Province) -> list[Scenario]:
        from urllib.parse import urlencode

        from django.urls import reverse

        from .models import Officer

        url = reverse("rectify:officer_list")
        scope = Officer.objects.filter(unit__path__startswith=p.root.path)
        after = deep_cursor(scope, ("number",))
        admin = "/bench-admin/rectify/officer/"
        deep = admin_page(scope.count(), pages=20)
        return [
            Scenario(
                "rectify.officers.first",
                "干警名册 第一页（管理员）",
                "admin",
                url,
                admin_path=admin,
            ),
            Scenario(
                "rectify.officers.deep",
                "干警名册 第21页（管理员）",
                "admin",
                f"{url}?{urlencode({'after': after})}",
                admin_path=f"{admin}?p={deep}",
                deep_of="rectify.officers.first",
            ),
            Scenario(
                "rectify.officers.cadres",
                "干警名册 领导干部筛选",
                "admin",
                f"{url}?cadre=1",
                admin_path=f"{admin}?is_leading_cadre__exact=1",
            ),
        ]


def _modules() -> list[Any]:
    found: list[Any] = [_CoreScenarios]
    for name in SCENARIO_MODULES:
        try:
            found.append(import_module(name))
        except ModuleNotFoundError as exc:
            if not (exc.name and name.startswith(exc.name)):
                raise
    return found


def register_admins() -> None:
    for module in _modules():
        register = getattr(module, "register_admin", None)
        if register is not None:
            register(site)


def scenarios_for(p: Province) -> list[Scenario]:
    out: list[Scenario] = []
    for module in _modules():
        make = getattr(module, "scenarios", None)
        if make is not None:
            out.extend(make(p))
    return out


def jobs_for(p: Province) -> list[Job]:
    out: list[Job] = []
    for module in _modules():
        make = getattr(module, "jobs", None)
        if make is not None:
            out.extend(make(p))
    return out


# --- measuring ----------------------------------------------------------------------------


class _Rollback(Exception):
    pass


def _pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _summary(samples: list[float]) -> dict:
    return {
        "median_ms": round(statistics.median(samples), 2),
        "p95_ms": round(_pct(samples, 0.95), 2),
    }


def _request(client: Client, s: Scenario, path: str) -> Any:
    data = s.data() if callable(s.data) else s.data
    headers = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in s.headers.items()}
    if s.method == "post":
        return client.post(path, data or {}, **headers)
    return client.get(path, **headers)


def _consume(response: Any) -> int:
    if getattr(response, "streaming", False):
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


def _sample(client: Client, s: Scenario, path: str) -> tuple[float, Any]:
    """One request inside a transaction rolled back afterwards: (ms, response)."""
    holder: dict = {}
    try:
        with transaction.atomic():
            start = time.perf_counter()
            response = _request(client, s, path)
            _consume(response)
            holder["ms"] = (time.perf_counter() - start) * 1000
            holder["response"] = response
            raise _Rollback
    except _Rollback:
        pass
    return holder["ms"], holder["response"]


def _client_for(user: Any) -> Client:
    client = Client(raise_request_exception=True)
    client.force_login(user)
    return client


def measure(client: Client, s: Scenario, path: str, repeat: int) -> dict:
    for _ in range(2):
        _sample(client, s, path)
    with CaptureQueriesContext(connection) as ctx:
        _, response = _sample(client, s, path)
    captured = list(ctx.captured_queries)  # a property over a log the next request may empty
    status = response.status_code
    samples = [_sample(client, s, path)[0] for _ in range(repeat)]
    result = {**_summary(samples), "queries": len(captured), "status": status}
    selects = [
        q["sql"]
        for q in captured
        if q["sql"].lstrip().upper().startswith(("SELECT", "WITH"))
        and "FOR UPDATE" not in q["sql"].upper()
    ]
    result["raw"] = _replay(selects, repeat)
    return result


def _replay(statements: list[str], repeat: int) -> dict:
    """The page's SELECTs, replayed through the cursor: the floor under the page's time."""
    if not statements:
        return {"median_ms": 0.0, "p95_ms": 0.0, "statements": 0}
    samples = []
    with connection.cursor() as cursor:
        for i in range(repeat + 1):
            start = time.perf_counter()
            for sql in statements:
                try:
                    cursor.execute(sql)
                    cursor.fetchall()
                except Exception:  # noqa: BLE001, S112 - a statement the log cannot replay
                    continue
            if i:
                samples.append((time.perf_counter() - start) * 1000)
    return {**_summary(samples), "statements": len(statements)}


def _admin(admin_client: Client, path: str, repeat: int) -> dict:
    s = Scenario(name="admin", title="", user="admin", path=path)
    with override_settings(ROOT_URLCONF="rectify.bench_urls"):
        for _ in range(2):
            _sample(admin_client, s, path)
        with CaptureQueriesContext(connection) as ctx:
            _, response = _sample(admin_client, s, path)
        queries = len(ctx.captured_queries)
        samples = [_sample(admin_client, s, path)[0] for _ in range(repeat)]
    return {**_summary(samples), "queries": queries, "status": response.status_code}


def _checks(entry: dict, s: Scenario, main: str, compare: str | None, by_name: dict) -> dict:
    targets = {**DEFAULT_TARGETS.get(s.kind, {}), **s.targets}
    here = entry["sizes"][main]
    checks: dict[str, dict] = {}
    if "p95_ms" in targets:
        checks["p95"] = {"target": targets["p95_ms"], "value": here["p95_ms"]}
        checks["p95"]["ok"] = here["p95_ms"] < targets["p95_ms"]
    if "queries" in targets:
        checks["queries"] = {
            "target": targets["queries"],
            "value": here["queries"],
            "ok": here["queries"] <= targets["queries"],
        }
    if s.kind == "list" and "admin" in entry:
        admin = entry["admin"]["median_ms"]
        checks["vs_admin"] = {
            "target": 0.5,
            "value": round(here["median_ms"] / admin, 2) if admin else None,
            "ok": bool(admin) and here["median_ms"] * 2 <= admin,
        }
    if s.kind == "list" and here["raw"]["median_ms"]:
        ratio = here["median_ms"] / here["raw"]["median_ms"]
        checks["vs_raw"] = {"target": 2.0, "value": round(ratio, 2), "ok": ratio <= 2.0}
    if s.deep_of and s.deep_of in by_name:
        first = by_name[s.deep_of]["sizes"][main]["median_ms"]
        ratio = here["median_ms"] / first if first else 0
        checks["deep_vs_first"] = {"target": 1.2, "value": round(ratio, 2), "ok": ratio <= 1.2}
    if compare and compare in entry["sizes"]:
        other = entry["sizes"][compare]
        ratio = here["median_ms"] / other["median_ms"] if other["median_ms"] else 0
        entry["ratio"] = round(ratio, 2)
        checks["growth"] = {"target": 1.3, "value": round(ratio, 2), "ok": ratio <= 1.3}
        checks["same_queries"] = {
            "target": other["queries"],
            "value": here["queries"],
            "ok": here["queries"] == other["queries"],
        }
    for name, target in targets.items():
        if name not in ("p95_ms", "queries"):
            checks[name] = {"target": target, "value": here.get(name)}
    return checks


# --- child-process jobs -------------------------------------------------------------------


def database_url() -> str:
    """The database this process is using, as a DATABASE_URL for a child process (so a
    child sees the same data, a test database included)."""
    from urllib.parse import quote

    conf = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{conf['NAME']}"
    auth = quote(conf.get("USER") or "")
    if conf.get("PASSWORD"):
        auth += ":" + quote(conf["PASSWORD"])
    host = conf.get("HOST") or "127.0.0.1"
    port = f":{conf['PORT']}" if conf.get("PORT") else ""
    return f"postgres://{auth}@{host}{port}/{conf['NAME']}"


def _child_env(**extra: str) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": database_url(), **extra}


def run_job_here(seed: int, scale: str, name: str) -> dict:
    """In the child process: run one job and return its own figures."""
    p = Province.load(seed, scale, progress=lambda _m: None)
    job = next(j for j in jobs_for(p) if j.name == name)
    result: dict = {}
    try:
        with transaction.atomic():
            start = time.perf_counter()
            result = job.run(p) or {}
            result["inner_seconds"] = round(time.perf_counter() - start, 2)
            raise _Rollback
    except _Rollback:
        pass
    return result


def _run_job(seed: int, scale: str, job: Job) -> dict:
    argv = [sys.executable, "manage.py", "bench", "pages", "--seed", str(seed)]
    argv += ["--scale", scale, "--job", job.name]
    start = time.perf_counter()
    proc = subprocess.Popen(  # noqa: S603 - our own manage.py
        argv,
        cwd=settings.BASE_DIR,
        env=_child_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    out, err = proc.communicate()
    seconds = time.perf_counter() - start
    # ru_maxrss of the child alone (kilobytes on Linux), read when it is reaped.
    peak_kb = _child_peak_kb(proc)
    result: dict = {"name": job.name, "title": job.title, "seconds": round(seconds, 2)}
    result["wall_seconds"] = result["seconds"]  # a job may report its own "seconds"
    result["peak_mb"] = round(peak_kb / 1024, 1) if peak_kb else None
    try:
        result.update(json.loads(out.decode().strip().splitlines()[-1]))
    except (ValueError, IndexError):
        result["error"] = err.decode()[-2000:]
    targets = job.targets
    result["checks"] = {
        k: {
            "target": v,
            "value": result.get(k),
            "ok": result.get(k) is not None and result[k] < v,
        }
        for k, v in targets.items()
    }
    return result


_RUSAGE: dict[int, int] = {}


def _child_peak_kb(proc: subprocess.Popen) -> int:
    return _RUSAGE.get(proc.pid, 0)


def _install_reaper() -> None:
    """Popen reaps its child with waitpid, which drops the rusage: reap with wait4 instead."""
    original = subprocess.Popen._try_wait  # type: ignore[attr-defined]

    def _try_wait(self: subprocess.Popen, wait_flags: int) -> tuple[int, int]:
        try:
            pid, status, usage = os.wait4(self.pid, wait_flags)
        except ChildProcessError:
            return original(self, wait_flags)
        if pid:
            _RUSAGE[pid] = usage.ru_maxrss
        return pid, status

    subprocess.Popen._try_wait = _try_wait  # type: ignore[attr-defined]


# --- throughput ---------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _session_cookie(user: Any) -> str:
    """A signed-in (and second-factor verified) session for wrk, as the login would leave."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="bench", defaults={"confirmed": True}
    )
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[DEVICE_ID_SESSION_KEY] = device.persistent_id
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def _parse_wrk(text: str) -> dict:
    def grab(pattern: str) -> str | None:
        m = re.search(pattern, text)
        return m.group(1) if m else None

    def ms(value: str | None) -> float | None:
        if value is None:
            return None
        m = re.match(r"([\d.]+)(us|ms|s)", value)
        if not m:
            return None
        factor = {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)]
        return round(float(m.group(1)) * factor, 2)

    errors = 0
    if sock := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text
    ):
        errors += sum(int(x) for x in sock.groups())
    non2xx = int(grab(r"Non-2xx or 3xx responses: (\d+)") or 0)
    return {
        "requests_per_s": float(grab(r"Requests/sec:\s+([\d.]+)") or 0),
        "p99_ms": ms(grab(r"\s99%\s+([\d.]+\w+)")),
        "p50_ms": ms(grab(r"\s50%\s+([\d.]+\w+)")),
        "requests": int(grab(r"(\d+) requests in") or 0),
        "errors": errors + non2xx,
    }


def throughput(p: Province, chosen: list[Scenario], seconds: int, connections: int) -> list:
    if not chosen:
        return []
    if not shutil.which("wrk") or not shutil.which(
        "gunicorn", path=str(Path(sys.executable).parent)
    ):
        return [{"error": "wrk or gunicorn is missing (apt-get install wrk)"}]
    env = _child_env(
        DJANGO_SETTINGS_MODULE="rectify.settings.prod",
        # The sessions handed to wrk are signed with this process's key.
        SECRET_KEY=settings.SECRET_KEY,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        FIELD_ENCRYPTION_KEYS=",".join(settings.FIELD_ENCRYPTION_KEYS),
        AUDIT_HMAC_KEYS=",".join(settings.AUDIT_HMAC_KEYS),
    )
    python = sys.executable
    subprocess.run(  # noqa: S603
        [python, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=settings.BASE_DIR,
        env=env,
        check=True,
    )
    port = _free_port()
    log = Path(tempfile.gettempdir(), f"bench-gunicorn-{port}.log").open("wb")  # noqa: SIM115
    server = subprocess.Popen(  # noqa: S603
        [
            str(Path(python).parent / "gunicorn"),
            "rectify.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log,
        stderr=log,
        start_new_session=True,
    )
    results = []
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        for s in chosen:
            cookie = _session_cookie(p.user(s.user))
            url = f"http://127.0.0.1:{port}{s.path}"
            headers = ["-H", f"Cookie: {cookie}", "-H", "X-Forwarded-Proto: https"]
            check = subprocess.run(  # noqa: S603
                ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", *headers, url],
                capture_output=True,
                text=True,
            )
            out = subprocess.run(  # noqa: S603
                ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", *headers, url],
                capture_output=True,
                text=True,
            )
            figures = _parse_wrk(out.stdout)
            if check.stdout.strip() != "200":  # a redirect to the login is not a page served
                figures["errors"] = figures["requests"]
            results.append(
                {
                    "name": s.name,
                    "title": s.title,
                    "status": check.stdout.strip(),
                    **figures,
                    "seconds": seconds,
                    "connections": connections,
                    "workers": 2,
                }
            )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()
    return results


# --- the run ------------------------------------------------------------------------------


def _dataset(seed: int, scale: str, progress: Callable[[str], None]) -> Province:
    p = Province.load(seed, scale, progress)
    if p is None:
        generate(seed, scale, progress)
        p = Province.load(seed, scale, progress)
    assert p is not None
    return p


def run(options: dict[str, Any], progress: Callable[[str], None]) -> dict:
    seed, main, compare = options["seed"], options["scale"], options["compare"]
    if compare == main or compare not in SCALES:
        compare = None
    only = options.get("only") or ""
    repeat = options["repeat"]
    # The test client sends request_started, which empties the query log mid-capture.
    request_started.disconnect(reset_queries)
    register_admins()
    datasets = {main: _dataset(seed, main, progress)}
    if compare:
        datasets[compare] = _dataset(seed, compare, progress)
    entries: dict[str, dict] = {}
    order: list[Scenario] = []
    for scale, p in datasets.items():
        clients: dict[str, Client] = {}
        for s in scenarios_for(p):
            if only and only not in s.name:
                continue
            if scale != main and not s.sizes:
                continue
            if s.user not in clients:
                clients[s.user] = _client_for(p.user(s.user))
            progress(f"[{scale}] {s.name}")
            entry = entries.setdefault(
                s.name, {"name": s.name, "title": s.title, "kind": s.kind, "sizes": {}}
            )
            if scale == main:
                order.append(s)
                entry["path"] = s.path
                entry["expect_status"] = s.expect_status
            entry["sizes"][scale] = measure(clients[s.user], s, s.path, repeat)
            if scale == main and s.admin_path:
                if "admin" not in clients:
                    clients["admin"] = _client_for(p.user("admin"))
                entry["admin"] = _admin(clients["admin"], s.admin_path, repeat)
                entry["admin"]["path"] = s.admin_path
    for s in order:
        entries[s.name]["checks"] = _checks(entries[s.name], s, main, compare, entries)
    out: dict[str, Any] = {
        "benchmark": "pages",
        "date": timezone.now().isoformat(timespec="seconds"),
        "commit": _commit(),
        "machine": machine(),
        "database": connection.vendor,
        "seed": seed,
        "scale": main,
        "compare": compare,
        "repeat": repeat,
        "datasets": {scale: _counts(p) for scale, p in datasets.items()},
        "scenarios": [entries[s.name] for s in order],
        "jobs": [],
        "throughput": [],
    }
    if not options.get("no_jobs"):
        _install_reaper()
        for job in jobs_for(datasets[main]):
            if only and only not in job.name:
                continue
            progress(f"[{main}] job {job.name}")
            out["jobs"].append(_run_job(seed, main, job))
    if not options.get("no_throughput"):
        chosen = [s for s in order if s.wrk]
        progress(f"[{main}] throughput: {', '.join(s.name for s in chosen)}")
        out["throughput"] = throughput(
            datasets[main], chosen, options["wrk_seconds"], options["wrk_connections"]
        )
        for row in out["throughput"]:
            if "requests_per_s" in row and row["name"].startswith("selfcheck."):
                row["checks"] = {
                    "requests_per_s": {
                        "target": 300,
                        "value": row["requests_per_s"],
                        "ok": row["requests_per_s"] >= 300 and not row["errors"],
                    }
                }
    return out


def _counts(p: Province) -> dict:
    from .models import AuditEvent, Officer, Unit

    return {
        "root": p.root.code,
        "units": Unit.objects.filter(path__startswith=p.root.path).count(),
        "officers": Officer.objects.filter(unit__path__startswith=p.root.path).count(),
        "audit_events_total": AuditEvent.objects.count(),
    }


def _commit() -> str:
    try:
        return subprocess.run(  # noqa: S603
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


# --- BENCHMARKS.md ------------------------------------------------------------------------


def _mark(check: dict | None) -> str:
    if not check:
        return ""
    return "✓" if check.get("ok") else "✗"


def _cell(value: Any, check: dict | None = None) -> str:
    text = "—" if value is None else f"{value:g}" if isinstance(value, float) else str(value)
    mark = _mark(check)
    return f"{text} {mark}" if mark else text


def markdown(out: dict) -> str:
    """The run as the tables of BENCHMARKS.md (✓ / ✗ against the issue's targets)."""
    main, compare = out["scale"], out.get("compare")
    machine = out["machine"]
    lines = [
        f"Run of {out['date']} at commit `{out['commit']}`, {out['database']}"
        f" {machine.get('database_version', '')}, {machine['cpus']} CPUs"
        f" ({machine.get('cpu', '')}), {machine.get('memory_gb', '?')} GB,"
        f" Python {machine['python']}; seed {out['seed']}, {out['repeat']} samples each.",
        "",
        "| dataset | units | officers | audit events (whole DB) |",
        "|---|---:|---:|---:|",
    ]
    for name, d in out["datasets"].items():
        lines.append(
            f"| {name} ({d['root']}) | {d['units']:,} | {d['officers']:,} |"
            f" {d['audit_events_total']:,} |"
        )
    lines += [
        "",
        f"Server time in ms at `{main}` (median / p95), queries, Django admin's changelist over"
        f" the same rows (median), the page's own SELECTs replayed (median), and the median at"
        f" `{compare}` with the ratio `{main}`/`{compare}`.",
        "",
        "| scenario | median | p95 | queries | admin | vs admin | raw SQL | vs raw |"
        f" deep/first | {compare} | growth |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for e in out["scenarios"]:
        here = e["sizes"][main]
        c = e.get("checks", {})
        other = e["sizes"].get(compare) if compare else None
        admin = e.get("admin", {}).get("median_ms")
        lines.append(
            "| "
            + " | ".join(
                [
                    f"{e['title']}<br>`{e['name']}`",
                    _cell(here["median_ms"]),
                    _cell(here["p95_ms"], c.get("p95")),
                    _cell(here["queries"], c.get("queries")),
                    _cell(admin),
                    _cell(c["vs_admin"]["value"], c["vs_admin"]) if "vs_admin" in c else "",
                    _cell(here["raw"]["median_ms"]),
                    _cell(c["vs_raw"]["value"], c["vs_raw"]) if "vs_raw" in c else "",
                    _cell(c["deep_vs_first"]["value"], c["deep_vs_first"])
                    if "deep_vs_first" in c
                    else "",
                    _cell(other["median_ms"]) if other else "",
                    _cell(c["growth"]["value"], c["growth"]) if "growth" in c else "",
                ]
            )
            + " |"
        )
    if out.get("jobs"):
        lines += [
            "",
            "| job | seconds | peak MB | wall s | figures |",
            "|---|---:|---:|---:|---|",
        ]
        for j in out["jobs"]:
            c = j.get("checks", {})
            extra = {
                k: v
                for k, v in j.items()
                if k not in ("name", "title", "seconds", "peak_mb", "wall_seconds", "checks")
            }
            lines.append(
                f"| {j['title']}<br>`{j['name']}` | {_cell(j.get('seconds'), c.get('seconds'))}"
                f" | {_cell(j.get('peak_mb'), c.get('peak_mb'))} | {_cell(j.get('wall_seconds'))}"
                f" | `{json.dumps(extra, ensure_ascii=False)[:300]}` |"
            )
    if out.get("throughput"):
        lines += [
            "",
            "| throughput (gunicorn, 2 workers, wrk) | req/s | p99 ms | errors | status |",
            "|---|---:|---:|---:|---|",
        ]
        for t in out["throughput"]:
            c = t.get("checks", {})
            lines.append(
                f"| {t['title']}<br>`{t['name']}` |"
                f" {_cell(t.get('requests_per_s'), c.get('requests_per_s'))} |"
                f" {_cell(t.get('p99_ms'))} | {_cell(t.get('errors'))} | {t.get('status')} |"
            )
    return "\n".join(lines) + "\n"


def machine() -> dict:
    info: dict[str, Any] = {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }
    try:
        text = Path("/proc/cpuinfo").read_text()
        info["cpu"] = next(
            line.split(":", 1)[1].strip() for line in text.splitlines() if "model name" in line
        )
        mem = Path("/proc/meminfo").read_text().split()[1]
        info["memory_gb"] = round(int(mem) / 2**20, 1)
    except (OSError, StopIteration, IndexError, ValueError):
        pass
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            info["database_version"] = cursor.fetchone()[0]
        elif connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
            info["database_version"] = cursor.fetchone()[0]
    return info
