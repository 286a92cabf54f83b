#!/usr/bin/env python3
"""One entry point for people: `python3 dev.py demo` and `python3 dev.py test`.

Both create `.venv` next to this file, install the locked dependencies into it with uv
(itself installed from PyPI into the venv), and then either start the demo on SQLite or
run pytest. Extra arguments after `test` go to pytest; PYTEST_ADDOPTS works as usual.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
UV_VERSION = "0.13.9"


def run(*cmd: str | os.PathLike, env: dict[str, str] | None = None) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run([str(c) for c in cmd], cwd=ROOT, env=env, check=True)


def install() -> dict[str, str]:
    if not PY.exists():
        print(f"Creating {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    if not (BIN / "uv").exists():
        run(
            PY,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            f"uv=={UV_VERSION}",
        )
    env = dict(os.environ, UV_PROJECT_ENVIRONMENT=str(VENV), VIRTUAL_ENV=str(VENV))
    env.pop("PYTHONHOME", None)
    run(BIN / "uv", "sync", "--frozen", "--quiet", "--python", PY, env=env)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    return env


def demo(args: list[str]) -> None:
    env = install()
    env.setdefault("DJANGO_SETTINGS_MODULE", "rectify.settings.dev")
    run(PY, "manage.py", "migrate", "--noinput", env=env)
    run(PY, "manage.py", "seed_demo", env=env)
    addr = args[0] if args else "127.0.0.1:8000"
    print(f"\n  rectify is running at http://{addr}/  (Ctrl+C stops it)\n", flush=True)
    os.chdir(ROOT)
    os.execve(str(PY), [str(PY), "manage.py", "runserver", addr], env)


def test(args: list[str]) -> None:
    env = install()
    os.chdir(ROOT)
    os.execve(str(PY), [str(PY), "-m", "pytest", *args], env)


def main() -> None:
    commands = {"demo": demo, "test": test}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit("usage: python3 dev.py demo [ADDR:PORT] | python3 dev.py test [PYTEST ARGS]")
    commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
