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

import datetime as dt
import io
import re
import tempfile
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.http import FileResponse
from openpyxl import Workbook, load_workbook
from openpyxl.utils.datetime import from_excel


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
class SheetRows:
    """Rows of one sheet as dicts keyed by canonical column name, with their row numbers."""

    sheet: str
    header_row: int
    columns: dict[str, int]
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)


# --- normalising cell values ---------------------------------------------------------

_SPACES = re.compile(r"\s+")


def clean_text(value: Any) -> str:
    """Fold full-width characters (NFKC), trim, and collapse inner runs of white space."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFKC", str(value))
    return _SPACES.sub(" ", text).strip()


def header_key(value: Any) -> str:
    """A header cell folded for matching: no spaces at all, no marks such as * or ：."""
    text = clean_text(value)
    return re.sub(r"[\s*:：()（）\[\]【】]", "", text).lower()


_CN_DATE = re.compile(r"^(\d{4})\s*[年./\-]\s*(\d{1,2})\s*[月./\-]\s*(\d{1,2})\s*日?$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def parse_date(value: Any) -> dt.date | None:
    """A date from a cell: date objects, Excel serials, 2021年4月3日, 2021.4.3, 2021-04-03...

    Returns None for an empty cell; raises ValueError with a Chinese reason otherwise.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2958466:
            return from_excel(value).date()
        raise ValueError("不是有效的日期")
    text = clean_text(value)
    text = text.split(" ")[0] if re.match(r"^\d{4}-\d{2}-\d{2} \d", text) else text
    match = _CN_DATE.match(text) or _COMPACT_DATE.match(text)
    if not match:
        raise ValueError("无法识别的日期格式（示例：2021年4月3日、2021.4.3、2021-04-03）")
    year, month, day = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise ValueError("日期不存在") from exc


_YES = {"是", "y", "yes", "true", "1", "√", "✓", "有"}
_NO = {"否", "n", "no", "false", "0", "×", "x", "无", ""}


def parse_bool(value: Any) -> bool:
    text = clean_text(value).lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise ValueError("应填“是”或“否”")


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


def open_workbook(upload: Any):
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


def _match(label: str, synonyms: dict[str, Sequence[str]]) -> str | None:
    for canonical, names in synonyms.items():
        if label == header_key(canonical) or label in {header_key(n) for n in names}:
            return canonical
    return None


def find_header(
    rows: Sequence[Sequence[Any]], synonyms: dict[str, Sequence[str]], *, scan: int = 15
) -> tuple[int, dict[str, int]]:
    """Find the header row among the first `scan` rows. Returns (index, {canonical: col}).

    A merged header spanning two rows (e.g. 被反映人 over 姓名 | 单位) is read by trying, for
    each column, the cell itself, the cell above (forward-filled across the merge) joined
    to it, and the cell above alone.
    """
    best: tuple[int, int, dict[str, int]] = (-1, 0, {})
    for index, row in enumerate(rows[:scan]):
        above = rows[index - 1] if index > 0 else ()
        filled_above: list[str] = []
        carry = ""
        for col in range(len(row)):
            cell = above[col] if col < len(above) else None
            carry = header_key(cell) if cell not in (None, "") else carry
            filled_above.append(carry)
        found: dict[str, int] = {}
        for col, cell in enumerate(row):
            own = header_key(cell)
            parent = filled_above[col] if col < len(filled_above) else ""
            for label in (own, parent + own, parent if not own else ""):
                if not label:
                    continue
                canonical = _match(label, synonyms)
                if canonical and canonical not in found:
                    found[canonical] = col
                    break
        if len(found) > best[1]:
            best = (index, len(found), found)
    return best[0], best[2]


def read_sheet(
    worksheet, synonyms: dict[str, Sequence[str]], *, required: Iterable[str] = ()
) -> SheetRows:
    """Read one worksheet into canonical dicts. Raises ExcelError if required columns lack."""
    max_rows = settings.EXCEL_IMPORT_MAX_ROWS
    all_rows: list[tuple[Any, ...]] = []
    for count, row in enumerate(worksheet.iter_rows(values_only=True)):
        if count >= max_rows:
            raise ExcelError(f"工作表“{worksheet.title}”行数超过上限 {max_rows}")
        all_rows.append(row)
    header_index, columns = find_header(all_rows, synonyms)
    missing = [name for name in required if name not in columns]
    if header_index < 0 or missing:
        raise ExcelError(f"工作表“{worksheet.title}”缺少列：{'、'.join(missing) or '表头'}")
    result = SheetRows(sheet=worksheet.title, header_row=header_index + 1, columns=columns)
    for offset, row in enumerate(all_rows[header_index + 1 :], start=header_index + 2):
        values = {name: (row[col] if col < len(row) else None) for name, col in columns.items()}
        if all(clean_text(v) == "" for v in values.values()) or _is_note_row(row):
            continue  # blank line, or a note such as 填表说明 under the table
        result.rows.append((offset, values))
    return result


_NOTE_MARKERS = ("注", "说明", "填表", "备注", "制表", "审核人", "填报人", "合计")


def _is_note_row(row: Sequence[Any]) -> bool:
    """A row with one filled cell that starts like a footnote (注：…, 填表说明…, 制表人…)."""
    filled = [clean_text(v) for v in row if clean_text(v)]
    return len(filled) == 1 and filled[0].startswith(_NOTE_MARKERS)


# --- writing -------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value: Any) -> Any:
    """Neutralise formula injection: text starting with = + - @ gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_rows(sheet, rows: Iterable[Sequence[Any]]) -> None:
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


def iter_chunked(queryset, chunk_size: int = 2000) -> Iterator[Any]:
    """Iterate a queryset in chunks without caching it (constant memory for exports)."""
    return queryset.iterator(chunk_size=chunk_size)
