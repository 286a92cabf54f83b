"""Shared openpyxl helpers (no domain rules): read messy real-world sheets, write safe ones.

Reading: the workbook opens read-only through defusedxml (openpyxl uses it whenever it is
installed), after a size check on the upload and on every member of the zip (a zip bomb is
refused before parsing). `find_header` locates the header row below any title rows,
combining two-row merged headers, and maps column names through synonyms after folding
full-width characters and stray spaces.

Writing: `xlsx_response` builds a write-only workbook (constant memory) into a temporary
file and streams it; every string that a spreadsheet would run as a formula is escaped.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.http import FileResponse
from openpyxl import Workbook, load_workbook

from .cells import (  # noqa: F401  (re-exported: the importers read them from here)
    clean_text,
    fold_word,
    header_key,
    parse_bool,
    parse_date,
    unit_words,
)

if TYPE_CHECKING:
    from django.db.models import QuerySet


class ExcelError(Exception):
    """The file as a whole cannot be read (not per-row problems)."""


@dataclass
class RowError:
    sheet: str
    row: int
    column: str
    value: Any
    reason: str

    def __str__(self) -> str:
        return f"{self.sheet} 第{self.row}行 [{self.column}] “{self.value}”: {self.reason}"


@dataclass
class ImportResult:
    """What one import found and did; every importer's result extends it with its counts.

    Errors are rows that cannot be stored (any error stores nothing: all or nothing),
    warnings rows stored with a remark. A subclass names its counts in `summary()` and
    says them in one line in `summary_line()`; `notices()` are lines shown once after it.
    """

    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> dict[str, int]:
        return {"warnings": len(self.warnings)}

    def summary_line(self) -> str:
        return f"警告 {len(self.warnings)}"

    def notices(self) -> list[str]:
        return []


IMPORT_REFUSED = "{count} 处错误，未导入任何数据"
DRY_RUN_PREFIX = "（试运行，未保存）"


def report_import(cmd: BaseCommand, result: ImportResult) -> None:
    """How an import command ends: with errors, each on stderr and a CommandError
    (nothing was stored); otherwise the summary line, marked when it was a dry run,
    then the notices."""
    if result.errors:
        for error in result.errors:
            cmd.stderr.write(str(error))
        raise CommandError(IMPORT_REFUSED.format(count=len(result.errors)))
    prefix = DRY_RUN_PREFIX if result.dry_run else ""
    cmd.stdout.write(prefix + result.summary_line())
    for line in result.notices():
        cmd.stdout.write(line)


@dataclass
class SheetRows:
    """Rows of one sheet as dicts keyed by canonical column name, with their row numbers."""

    sheet: str
    header_row: int
    columns: dict[str, int]
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)  # canonical -> header as written
    unrecognised: dict[str, int] = field(default_factory=dict)  # header as written -> column
    extras: dict[int, dict[str, str]] = field(default_factory=dict)  # row -> unknown columns
    footer: list[tuple[int, str]] = field(default_factory=list)  # (row, text) under the table


# Cell values (clean_text, parse_date…) live in rectify.cells; re-exported here.
# --- reading -------------------------------------------------------------------------


def _read_bytes(upload: Any) -> bytes:
    if isinstance(upload, bytes | bytearray):
        data = bytes(upload)
    elif hasattr(upload, "chunks"):
        data = b"".join(upload.chunks())
    elif hasattr(upload, "read"):
        data = upload.read()
    else:
        with open(upload, "rb") as fh:
            data = fh.read()
    return data


def open_workbook(upload: Any) -> Workbook:
    """Open an .xlsx upload read-only after checking its size and its unpacked size."""
    data = _read_bytes(upload)
    limit = settings.EXCEL_IMPORT_MAX_BYTES
    if len(data) > limit:
        raise ExcelError(f"文件过大（上限 {limit // (1024 * 1024)} MB）")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise ExcelError("不是有效的 .xlsx 文件（请另存为 Excel 工作簿 .xlsx 后上传）") from exc
    if unpacked > limit * 10:
        raise ExcelError("文件解压后过大，已拒绝")
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on malformed files
        raise ExcelError(f"无法读取该 Excel 文件：{exc.__class__.__name__}") from exc


# A real ledger has a few dozen columns; a sheet that declares (or holds) thousands is cut
# here so that memory follows what the sheet holds, never what its <dimension> claims.
MAX_COLUMNS = 64


def iter_sheet_rows(worksheet: Any, *, max_columns: int = MAX_COLUMNS) -> Iterator[tuple[Any, ...]]:
    """Stream a read-only worksheet's rows as value tuples, each cut to `max_columns` and
    stripped of trailing empty cells.

    openpyxl pads every row to the sheet's declared dimension: a 63 KB file declaring
    A1:XFD8000 became 8,000 rows of 16,384 cells (1 GB). Forgetting the declared dimension
    makes each row only as wide as its last real cell; the cap bounds even that.
    """
    if hasattr(worksheet, "reset_dimensions"):
        worksheet.reset_dimensions()
    for row in worksheet.iter_rows(values_only=True):
        cells = row[:max_columns]
        end = len(cells)
        while end and (cells[end - 1] is None or cells[end - 1] == ""):
            end -= 1
        yield tuple(cells[:end])


def _match(label: str, synonyms: dict[str, Sequence[str]]) -> str | None:
    for canonical, names in synonyms.items():
        if label == header_key(canonical) or label in {header_key(n) for n in names}:
            return canonical
    return None


def _contained(label: str, synonyms: dict[str, Sequence[str]]) -> tuple[str, int] | None:
    """The canonical column whose longest name (canonical or synonym) lies inside `label`:
    “反映的主要问题” holds 主要问题, “办结时限” holds 办结时限. Longest wins, so
    “被反映人单位” is the subject's unit, not 被反映人, and “承办单位” is not 单位."""
    best: tuple[str, int] | None = None
    for canonical, names in synonyms.items():
        for name in (canonical, *names):
            key = header_key(name)
            if len(key) >= 2 and key in label and (best is None or len(key) > best[1]):
                best = (canonical, len(key))
    return best


@dataclass
class HeaderMatch:
    index: int = -1
    columns: dict[str, int] = field(default_factory=dict)  # canonical -> column index
    labels: dict[str, str] = field(default_factory=dict)  # canonical -> header as written
    unrecognised: dict[int, str] = field(default_factory=dict)  # column -> header as written
    own_hits: int = 0  # columns matched by the row's own cells (not inherited from above)


def match_header(
    rows: Sequence[Sequence[Any]],
    synonyms: dict[str, Sequence[str]],
    *,
    scan: int = 15,
    contains: bool = False,
) -> HeaderMatch:
    """Find the header row among the first `scan` rows and map its columns.

    A merged header spanning two rows (e.g. 被反映人 over 姓名 | 单位) is read by trying, for
    each column, the cell above (forward-filled across the merge) joined to the cell itself,
    the cell itself, and the cell above alone. With `contains`, a header that holds a known
    name among other words matches it (best containment: exact names first, then the
    longest contained name); each canonical column is taken once, by its best header.
    """
    rows = list(rows[:scan])
    # First pass, each row alone: a row is an upper header level only when it holds
    # header words itself (not a merged title, not a 填报单位 line).
    alone = [_header_row(row, (), synonyms, contains) for row in rows]
    best = HeaderMatch()
    for index, row in enumerate(rows):
        above = rows[index - 1] if index > 0 and len(alone[index - 1].columns) >= 3 else ()
        found_match = _header_row(row, above, synonyms, contains) if above else alone[index]
        if above and found_match.own_hits < 2:
            # Not a lower header level (its own cells match nothing): a data or blank row.
            found_match, above = alone[index], ()
        found_match.index = index
        if len(found_match.columns) > len(best.columns) or (
            above and best.columns and len(found_match.columns) == len(best.columns)
        ):
            best = found_match
    return best


def _header_row(
    row: Sequence[Any], above: Sequence[Any], synonyms: dict[str, Sequence[str]], contains: bool
) -> HeaderMatch:
    width = max(len(row), len(above))
    filled_above: list[tuple[str, str]] = []
    carry = ("", "")
    for col in range(width):
        cell = above[col] if col < len(above) else None
        if cell not in (None, ""):
            carry = (header_key(cell), clean_text(cell))
        filled_above.append(carry)
    # (score, column, canonical, shown, own cell): exact matches score above containment.
    candidates: list[tuple[int, int, str, str, bool]] = []
    texts: dict[int, str] = {}
    for col in range(width):
        cell = row[col] if col < len(row) else None
        own, own_shown = header_key(cell), clean_text(cell)
        parent, parent_shown = filled_above[col]
        both = (parent + own, f"{parent_shown}/{own_shown}") if parent and own else None
        alone = (own, own_shown) if own else (parent, parent_shown)
        texts[col] = both[1] if both else alone[1]
        exact = [both, alone] if both else [alone]
        hit = next((label for label, _shown in exact if label and _match(label, synonyms)), "")
        if hit:
            candidates.append((1000 + len(hit), col, _match(hit, synonyms), texts[col], bool(own)))
            continue
        # Containment on the cell's own words only: a data row under a header must not
        # match through the header words it inherits.
        found = _contained(alone[0], synonyms) if contains and alone[0] else None
        if found:
            candidates.append((found[1], col, found[0], texts[col], bool(own)))
    found_match = HeaderMatch()
    taken: set[int] = set()
    for _score, col, canonical, shown, own_cell in sorted(candidates, key=lambda c: (-c[0], c[1])):
        if canonical in found_match.columns or col in taken:
            continue
        found_match.own_hits += own_cell
        found_match.columns[canonical] = col
        found_match.labels[canonical] = shown
        taken.add(col)
    found_match.unrecognised = {c: t for c, t in texts.items() if t and c not in taken}
    return found_match


def find_header(
    rows: Sequence[Sequence[Any]], synonyms: dict[str, Sequence[str]], *, scan: int = 15
) -> tuple[int, dict[str, int]]:
    """Find the header row among the first `scan` rows. Returns (index, {canonical: col})."""
    match = match_header(rows, synonyms, scan=scan)
    return match.index, match.columns


def read_sheet(
    worksheet: Any,
    synonyms: dict[str, Sequence[str]],
    *,
    required: Iterable[str] = (),
    contains: bool = False,
) -> SheetRows:
    """Read one worksheet into canonical dicts. Raises ExcelError if required columns lack.

    Rows are streamed (only the first few are held to find the header) and each is kept
    only as the values of its known columns, so memory follows the rows the sheet holds.
    Footer lines (填表人 …, 审核人 …, 联系电话 …) and blank lines are set aside.
    """
    max_rows = settings.EXCEL_IMPORT_MAX_ROWS
    scan = 15
    head: list[tuple[Any, ...]] = []
    rows = iter_sheet_rows(worksheet)
    for row in rows:
        head.append(row)
        if len(head) >= scan:
            break
    match = match_header(head, synonyms, scan=scan, contains=contains)
    missing = [name for name in required if name not in match.columns]
    if match.index < 0 or missing:
        raise ExcelError(f"工作表“{worksheet.title}”缺少列：{'、'.join(missing) or '表头'}")
    result = SheetRows(
        sheet=worksheet.title,
        header_row=match.index + 1,
        columns=match.columns,
        labels=match.labels,
        unrecognised={match.unrecognised[c]: c for c in sorted(match.unrecognised)},
    )

    def body() -> Iterator[tuple[Any, ...]]:
        yield from head[match.index + 1 :]
        yield from rows

    for offset, row in enumerate(body(), start=match.index + 2):
        if offset > max_rows:
            raise ExcelError(f"工作表“{worksheet.title}”行数超过上限 {max_rows}")
        if not any(clean_text(v) for v in row):
            continue  # blank line
        if _is_note_row(row):
            result.footer.append((offset, "  ".join(clean_text(v) for v in row if clean_text(v))))
            continue
        values = {
            name: (row[col] if col < len(row) else None) for name, col in match.columns.items()
        }
        if all(clean_text(v) == "" for v in values.values()):
            # Only unknown columns filled: neither data nor a known footer; keep it visible.
            result.footer.append((offset, "  ".join(clean_text(v) for v in row if clean_text(v))))
            continue
        if result.unrecognised:
            extra = {
                label: clean_text(row[col])
                for label, col in result.unrecognised.items()
                if col < len(row) and clean_text(row[col])
            }
            if extra:
                result.extras[offset] = extra
        result.rows.append((offset, values))
    return result


_NOTE_MARKERS = (
    "注",
    "说明",
    "填表",
    "备注：",
    "备注:",
    "制表",
    "审核",
    "填报",
    "合计",
    "联系电话",
    "联系人",
    "负责人",
    "分管领导",
    "统计",
    "报送",
)


def _is_note_row(row: Sequence[Any]) -> bool:
    """A row under the table whose first filled cell starts like a footer line (注：…,
    填表人：…, 审核人：…, 联系电话：…), whatever else is filled beside it."""
    filled = [clean_text(v) for v in row if clean_text(v)]
    return bool(filled) and filled[0].startswith(_NOTE_MARKERS)


# --- writing -------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value: Any) -> Any:
    """Neutralise formula injection: text starting with = + - @ gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_rows(sheet: Any, rows: Iterable[Sequence[Any]]) -> None:
    for row in rows:
        sheet.append([escape_cell(v) for v in row])


def xlsx_response(
    filename: str,
    sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence[Any]]]],
) -> FileResponse:
    """Stream a workbook of (title, headers, rows) sheets. Rows may be a lazy iterator."""
    workbook = Workbook(write_only=True)
    for title, headers, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        sheet.append(list(headers))
        write_rows(sheet, rows)
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    workbook.save(spool)
    spool.seek(0)
    return FileResponse(
        spool,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def iter_chunked(queryset: QuerySet, chunk_size: int = 2000) -> Iterator[Any]:
    """Iterate a queryset in chunks without caching it (constant memory for exports)."""
    return queryset.iterator(chunk_size=chunk_size)
