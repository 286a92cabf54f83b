"""Issue 10: a worker started with autodiscovery alone (no system checks importing the URL
conf, CELERY_SKIP_CHECKS=1 as in production) knows every task the code sends or schedules."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[1]
APPS = ("rectify", "selfcheck", "leads", "remediation", "leadership")

WORKER = r"""
import json
from rectify.celery import app
app.loader.import_default_modules()  # what a worker does at start-up: autodiscovery
print(json.dumps(sorted(name for name in app.tasks if not name.startswith("celery."))))
"""


def declared_tasks() -> dict[str, Path]:
    """Every @shared_task / @app.task function in the apps' code, by its task name."""
    found: dict[str, Path] = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            for node in ast.walk(ast.parse(path.read_text())):
                if not isinstance(node, ast.FunctionDef):
                    continue
                for dec in node.decorator_list:
                    func = dec.func if isinstance(dec, ast.Call) else dec
                    name = getattr(func, "attr", None) or getattr(func, "id", None)
                    if name not in ("shared_task", "task"):
                        continue
                    explicit = [
                        k.value.value
                        for k in getattr(dec, "keywords", [])
                        if k.arg == "name" and isinstance(k.value, ast.Constant)
                    ]
                    found[explicit[0] if explicit else f"{module}.{node.name}"] = path
    return found


def sent_task_functions() -> set[str]:
    """Names of the functions the code calls .delay( / .apply_async( on."""
    names = set()
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("delay", "apply_async")
                ):
                    target = node.func.value
                    names.add(getattr(target, "id", None) or getattr(target, "attr", ""))
    return names


def test_it_registers_every_task_in_a_worker_with_autodiscovery_alone():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "rectify.settings.test",
        "CELERY_SKIP_CHECKS": "1",
    }
    done = subprocess.run(
        [sys.executable, "-c", WORKER],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    registered = set(json.loads(done.stdout.strip().splitlines()[-1]))
    declared = declared_tasks()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    sent = sent_task_functions()
    assert sent and sent <= {name.rsplit(".", 1)[1] for name in declared}
    missing = (set(declared) | scheduled) - registered
    assert not missing, f"not registered by autodiscovery: {sorted(missing)}"
    # Every task lives in its app's tasks.py, acknowledged late and redelivered when a
    # worker is lost (so each must be idempotent: see each task's docstring and test).
    assert all(path.name == "tasks.py" for path in declared.values()), declared
    from rectify.celery import app

    app.loader.import_default_modules()
    for name in declared:
        task = app.tasks[name]
        assert task.acks_late and task.reject_on_worker_lost, name
