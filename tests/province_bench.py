"""#14: `bench pages` over a district and a town dataset, as the apps' province tests run it.

`bench_pages` runs the command for one app's scenarios and checks what every scenario must
show: measured at both sizes, served with status 200 (and its admin reference too), and the
same number of queries at both sizes. The callers check their own scenario names and extras.
"""

from __future__ import annotations

import json
from io import StringIO
from typing import TYPE_CHECKING

from django.core.management import call_command

if TYPE_CHECKING:
    from pathlib import Path


def bench_pages(tmp_path: Path, *, seed: int, only: str, jobs: bool = False) -> dict:
    path = tmp_path / "bench.json"
    argv = ["pages", "--scale", "district", "--compare", "town", "--seed", str(seed)]
    argv += ["--only", only, "--repeat", "1", "--json", str(path), "--no-throughput"]
    if not jobs:
        argv.append("--no-jobs")
    call_command("bench", *argv, stdout=StringIO(), stderr=StringIO())
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["scenarios"], only
    for scenario in data["scenarios"]:
        sizes = scenario["sizes"]
        assert set(sizes) == {"district", "town"}, scenario["name"]
        assert {f["status"] for f in sizes.values()} == {200}, scenario["name"]
        assert all(f["queries"] > 0 for f in sizes.values()), scenario["name"]
        assert sizes["district"]["queries"] == sizes["town"]["queries"], scenario["name"]
        if "admin" in scenario:
            assert scenario["admin"]["status"] == 200, scenario["admin"]["path"]
    return data
