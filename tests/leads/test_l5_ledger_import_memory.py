"""Reading a workbook is bounded by what the sheet holds, not by what it declares (issue 9).

Each test reads the file in a fresh interpreter and measures the growth of its peak RSS, so
the figure is the reader's alone (not the test runner's heap).
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

from openpyxl import Workbook

ROOT = Path(__file__).resolve().parents[2]
LIMIT_MB = 100

READER = r"""
import json, os, resource, sys
import django
django.setup()
from rectify.excel import ExcelError
data = open(sys.argv[1], "rb").read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
if sys.argv[2] == "leads":
    from leads.ledger import read_workbook
    parsed = read_workbook(data)
    rows = len(parsed.rows)
else:
    from rectify.importers import parse_workbook
    units, officers = parse_workbook(data)
    rows = len(officers.rows)
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"growth_mb": (after - before) / 1024, "rows": rows}))
"""


def declared_xfd_xlsx(header: list[str], row, n: int = 8000) -> bytes:
    """A small workbook whose <dimension> claims columns up to XFD over n rows."""
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for i in range(n):
        ws.append(row(i))
    buf = io.BytesIO()
    wb.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet"):
                data = re.sub(
                    rb'<dimension ref="[^"]*"', f'<dimension ref="A1:XFD{n + 1}"'.encode(), data
                )
            dst.writestr(info, data)
    return out.getvalue()


def read_in_subprocess(tmp_path, data: bytes, kind: str) -> dict:
    path = tmp_path / "declared.xlsx"
    path.write_bytes(data)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "rectify.settings.test"}
    done = subprocess.run(
        [sys.executable, "-c", READER, str(path), kind],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_it_reads_a_ledger_declaring_xfd_columns_within_100_mb(tmp_path):
    data = declared_xfd_xlsx(
        ["线索编号", "受理日期", "线索来源", "反映内容摘要"],
        lambda i: [f"M-{i}", "2021-04-03", "举报电话", "反映某干警违规插手案件"],
    )
    assert len(data) < 200_000
    figures = read_in_subprocess(tmp_path, data, "leads")
    assert figures["rows"] == 8000
    assert figures["growth_mb"] < LIMIT_MB, figures


def test_it_reads_an_org_sheet_declaring_xfd_columns_within_100_mb(tmp_path):
    data = declared_xfd_xlsx(
        ["警号/工号", "姓名", "单位代码", "职务", "是否领导干部"],
        lambda i: [f"N{i:05d}", "张三", "DA", "科员", "否"],
    )
    figures = read_in_subprocess(tmp_path, data, "org")
    assert figures["rows"] == 8000
    assert figures["growth_mb"] < LIMIT_MB, figures
