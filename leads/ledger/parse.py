"""Stage 1 of the ledger import (pure, no database): sheet rows in, typed `LeadRow`s and
remaps out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

from django.utils import timezone

from rectify.excel import (
    ExcelError,
    RowError,
    SheetRows,
    clean_text,
    open_workbook,
    parse_date,
    read_sheet,
)

from ..forms.lead import SUBJECT_NAME_MAX
from .columns import (
    ANONYMOUS_WORDS,
    CONFIDENTIAL_WORDS,
    DATE_IN_FUTURE,
    DEADLINE_PAST,
    NUMBER_EMPTY,
    RECEIVED_EMPTY,
    REQUIRED,
    SUMMARY_EMPTY,
    SYNONYMS,
    TEXT_LIMITS,
    TOO_LONG,
    UNKNOWN_CATEGORY,
    UNKNOWN_STATUS,
    Vocabulary,
    fold_word,
    split_names,
)

if TYPE_CHECKING:
    from pathlib import Path


@dataclass
class LeadRow:
    row: int
    number: str
    received_date: dt.date | None
    channel: str
    reporter: str
    subjects: list[str]
    subject_unit: str
    category: str
    summary: str
    handling_unit: str
    handler: str
    deadline: dt.date | None
    status: str  # "" when the file does not say (or says something unknown)
    result: str
    raw_status: str = ""
    raw_category: str = ""
    extras: dict[str, str] = field(default_factory=dict)  # unrecognised columns, as written
    unknown: dict[str, str] = field(default_factory=dict)  # column -> word nobody knows

    @property
    def reporter_anonymous(self) -> bool:
        return self.reporter in ANONYMOUS_WORDS

    @property
    def reporter_confidential(self) -> bool:
        return self.reporter in CONFIDENTIAL_WORDS


@dataclass
class Remap:
    """A value written one way and stored as another (shown before anything is stored)."""

    column: str
    value: str
    to: str
    rows: list[int] = field(default_factory=list)


@dataclass
class ParsedSheet:
    sheet: str = ""
    rows: list[LeadRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    remaps: dict[tuple[str, str], Remap] = field(default_factory=dict)
    header_row: int = 0
    mapping: list[tuple[str, str]] = field(default_factory=list)  # (header as written, column)
    unrecognised: list[str] = field(default_factory=list)
    footer: list[tuple[int, str]] = field(default_factory=list)

    def remap(self, column: str, value: str, to: str, row: int) -> None:
        if fold_word(value) == fold_word(to):
            return
        entry = self.remaps.setdefault((column, value), Remap(column, value, to))
        entry.rows.append(row)


def parse_rows(sheet_rows: SheetRows, *, vocabulary: Vocabulary | None = None) -> ParsedSheet:
    """Parse the canonical dicts of `read_sheet` into LeadRows, collecting problems."""
    vocab = vocabulary or Vocabulary.default()
    out = ParsedSheet(
        sheet=sheet_rows.sheet,
        header_row=sheet_rows.header_row,
        mapping=[
            (sheet_rows.labels.get(name, name), name)
            for name, _col in sorted(sheet_rows.columns.items(), key=lambda item: item[1])
        ],
        unrecognised=list(sheet_rows.unrecognised),
        footer=list(sheet_rows.footer),
    )
    seen: dict[str, int] = {}
    today = timezone.localdate()

    def err(row: int, column: str, value: Any, reason: str) -> None:
        out.errors.append(RowError(sheet_rows.sheet, row, column, clean_text(value), reason))

    def warn(row: int, column: str, value: Any, reason: str) -> None:
        out.warnings.append(RowError(sheet_rows.sheet, row, column, clean_text(value), reason))

    for row_no, values in sheet_rows.rows:
        for column, limit in TEXT_LIMITS.items():
            length = len(clean_text(values.get(column)))
            if length > limit:
                err(row_no, column, values.get(column), TOO_LONG % {"max": limit, "n": length})
        for name in split_names(values.get("被反映人")):
            if len(name) > SUBJECT_NAME_MAX:
                err(row_no, "被反映人", name, TOO_LONG % {"max": SUBJECT_NAME_MAX, "n": len(name)})
        number = clean_text(values.get("线索编号")).replace(" ", "")
        if not number:
            err(row_no, "线索编号", "", NUMBER_EMPTY)
        elif number in seen:
            err(row_no, "线索编号", number, f"与第{seen[number]}行编号重复")
        else:
            seen[number] = row_no
        dates: dict[str, dt.date | None] = {}
        for column in ("受理日期", "办理期限"):
            try:
                dates[column] = parse_date(values.get(column))
            except ValueError as exc:
                err(row_no, column, values.get(column), str(exc))
                dates[column] = None
        if not clean_text(values.get("受理日期")):
            err(row_no, "受理日期", "", RECEIVED_EMPTY)
        elif dates["受理日期"] and dates["受理日期"] > today:
            err(row_no, "受理日期", values.get("受理日期"), DATE_IN_FUTURE)
            dates["受理日期"] = None
        summary = clean_text(values.get("反映内容摘要"))
        if not summary:
            err(row_no, "反映内容摘要", "", SUMMARY_EMPTY)
        unknown: dict[str, str] = {}
        raw_category = clean_text(values.get("问题类别"))
        category = "other"
        if raw_category:
            category = vocab.map_category(raw_category) or ""
            if category:
                out.remap("问题类别", raw_category, vocab.category_labels[category], row_no)
            else:
                category = "other"
                unknown["问题类别"] = raw_category
                warn(row_no, "问题类别", raw_category, UNKNOWN_CATEGORY)
        raw_status = clean_text(values.get("办理状态"))
        status = ""
        if raw_status:
            status = vocab.map_status(raw_status) or ""
            if status:
                out.remap("办理状态", raw_status, vocab.status_labels[status], row_no)
            else:
                unknown["办理状态"] = raw_status
                warn(row_no, "办理状态", raw_status, UNKNOWN_STATUS)
        if (
            dates["办理期限"]
            and dates["办理期限"] < today
            and status in ("", "registered", "handling", "held", "transferred", "signing")
        ):
            warn(row_no, "办理期限", values.get("办理期限"), DEADLINE_PAST)
        out.rows.append(
            LeadRow(
                row=row_no,
                number=number,
                received_date=dates["受理日期"],
                channel=clean_text(values.get("线索来源")),
                reporter=clean_text(values.get("反映人")),
                subjects=split_names(values.get("被反映人")),
                subject_unit=clean_text(values.get("被反映人单位")),
                category=category,
                summary=summary,
                handling_unit=clean_text(values.get("承办单位")),
                handler=clean_text(values.get("承办人")),
                deadline=dates["办理期限"],
                status=status,
                result=clean_text(values.get("办理结果")),
                raw_status=raw_status,
                raw_category=raw_category,
                extras=sheet_rows.extras.get(row_no, {}),
                unknown=unknown,
            )
        )
    return out


def read_workbook(
    upload: Path | bytes | IO[bytes], *, vocabulary: Vocabulary | None = None
) -> ParsedSheet:
    """Open the upload and parse its first sheet that has the required columns.

    Raises rectify.excel.ExcelError when the file itself is unusable.
    """
    workbook = open_workbook(upload)
    last: ExcelError | None = None
    try:
        for worksheet in workbook.worksheets:
            try:
                sheet_rows = read_sheet(worksheet, SYNONYMS, required=REQUIRED, contains=True)
            except ExcelError as exc:
                last = exc
                continue
            return parse_rows(sheet_rows, vocabulary=vocabulary)
    finally:
        workbook.close()
    raise last or ExcelError("工作簿中没有工作表")
