"""The lead ledger's heavy jobs for `bench pages` (#14): export and import at full size.

Each runs in a child process of its own (rectify.benchpages), which measures wall time and
peak memory, inside a transaction rolled back afterwards.

- `leads.export`: the province office exports its whole ledger through the real URL
  (`leads:ledger_export`: view, scoping, reveal audit, streamed workbook), read to the end.
- `leads.import`: the province office uploads a `p.scale.leads`-row ledger of new leads in the
  canonical layout, through the same services as the web import: the job is created, its
  preview runs (the same plan and per-row report as for a small file), it is confirmed and
  the import stores every row.
- `leads.import.errors`: the same file with three broken rows, previewed: the report names
  exactly those rows and nothing is stored, as for a small file.
"""

from __future__ import annotations

import datetime as dt
import io
import time
from collections import Counter
from typing import TYPE_CHECKING

from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from rectify.benchpages import Job
from rectify.models import Officer

from ..ledger.columns import COLUMNS
from ..ledger.jobs import import_job_confirm, import_job_create, run_import_job
from ..models import Channel, ImportStatus, Lead, LeadCategory, LeadImportJob

if TYPE_CHECKING:
    from rectify.province import Province

BROKEN_ROWS = (7, 25_001, 49_999)  # 1-based data rows given a bad date (when present)


def _export(p: Province) -> dict:
    client = Client(raise_request_exception=True)
    client.force_login(p.user("office"))
    start = time.perf_counter()
    response = client.get(reverse("leads:ledger_export"))
    spool = io.BytesIO(b"".join(response.streaming_content))
    seconds = time.perf_counter() - start
    sheet = load_workbook(spool, read_only=True).worksheets[0]
    rows = sum(1 for _ in sheet.iter_rows(min_row=2, values_only=True))
    expected = Lead.objects.filter(office__jurisdiction__path__startswith=p.root.path).count()
    return {
        "status": response.status_code,
        "rows": rows,
        "leads_in_province": expected,
        "bytes": spool.getbuffer().nbytes,
        # What the user waits for: the request, to its last byte (reading the workbook back
        # to count its rows is the benchmark's own check; wall_seconds includes it).
        "seconds": round(seconds, 2),
    }


def _workbook(p: Province, *, broken: tuple[int, ...] = ()) -> bytes:
    """A ledger of `p.scale.leads` new leads, written as an office would type it."""
    rng = p.rng("leads.bench_jobs")
    office = p.office_for(p.root)
    names = Counter(u.name for u in p.units)
    units = [u for u in p.units if u.kind != "region" and names[u.name] == 1]
    by_unit: dict[int, list[str]] = {}
    for unit_id, name in (
        Officer.objects.filter(unit__path__startswith=p.root.path)
        .order_by("pk")
        .values_list("unit_id", "name")[:20_000]
    ):
        by_unit.setdefault(unit_id, []).append(name)
    staffed = [u for u in units if u.pk in by_unit]
    channels = list(Channel.objects.order_by("order", "id").values_list("name", flat=True))
    categories = [str(label) for _, label in LeadCategory.choices]
    words = ["违规", "插手案件", "酒驾", "吃拿卡要", "KTV", "充当保护伞", "违规经商", "泄露案情"]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("线索台账")
    sheet.append(["燕赵省教育整顿线索台账（导入测试）"])
    sheet.append(list(COLUMNS))
    start = p.today - dt.timedelta(days=60)
    for i in range(1, p.scale.leads + 1):
        unit = staffed[rng.randrange(len(staffed))]
        received = start + dt.timedelta(days=rng.randrange(55))
        sheet.append(
            [
                f"{office.short_name}-2026-{800000 + i}",
                "2026年13月45日" if i in broken else f"{received:%Y年%m月%d日}",
                channels[rng.randrange(len(channels))],
                "匿名" if rng.random() < 0.6 else "来信人" + str(i),
                rng.choice(by_unit[unit.pk]),
                unit.name,
                categories[rng.randrange(len(categories))],
                f"反映其{rng.choice(words)}、{rng.choice(words)}问题（导入第{i}行）",
                unit.name,
                "",
                received + dt.timedelta(days=30),
                "待筛查",
                "",
            ]
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _import(p: Province, *, broken: tuple[int, ...] = ()) -> dict:
    office = p.office_for(p.root)
    user = p.user("office")
    t0 = time.perf_counter()
    content = _workbook(p, broken=broken)
    built = time.perf_counter() - t0
    job = import_job_create(
        office=office,
        actor=user,
        filename="导入测试.xlsx",
        content=content,
        dry_run=bool(broken),
    )
    t1 = time.perf_counter()
    job = run_import_job(job.pk)  # the preview (the on-commit task never fires here)
    preview = time.perf_counter() - t1
    result = {
        "rows": p.scale.leads,
        "file_mb": round(len(content) / 2**20, 1),
        "build_seconds": round(built, 2),
        "preview_seconds": round(preview, 2),
        "preview_status": job.status,
        "errors": [e["row"] for e in job.errors if e.get("level") != "warning"],
    }
    if broken:
        result["expected_error_rows"] = [r + 2 for r in broken if r <= p.scale.leads]
        return result
    if job.status == ImportStatus.PREVIEW:
        t2 = time.perf_counter()
        import_job_confirm(job=job, actor=user)
        job = run_import_job(job.pk)
        result["store_seconds"] = round(time.perf_counter() - t2, 2)
    job = LeadImportJob.objects.get(pk=job.pk)
    result["status"] = job.status
    result["created"] = (job.result or {}).get("created")
    # What the user waits for: the preview, then the import (building the file is the
    # benchmark's own work; the process's wall time is kept as wall_seconds).
    result["seconds"] = round(result["preview_seconds"] + result.get("store_seconds", 0), 2)
    return result


def jobs(p: Province) -> list[Job]:
    return [
        Job("leads.export", "导出全省线索台账", _export, {"seconds": 10, "peak_mb": 150}),
        Job(
            "leads.import",
            "导入线索台账（预览、确认、入库）",
            _import,
            {"seconds": 30, "peak_mb": 300},
        ),
        Job(
            "leads.import.errors",
            "导入含错误行的线索台账（预览）",
            lambda p: _import(p, broken=BROKEN_ROWS),
        ),
    ]
