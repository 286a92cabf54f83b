"""Normalising the values of spreadsheet cells as offices type them: full-width text, stray
spaces, Chinese dates (2026年3月1日, 2026.3.1, 20260301, Excel serials), yes/no words, and
unit names folded for matching. Pure functions; rectify.excel re-exports them."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from openpyxl.utils.datetime import from_excel

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


_PUNCT = re.compile(r"[\s、，,。.;；:：“”\"'‘’()（）《》<>【】\[\]—\-]+")


def fold_word(value: Any) -> str:
    """A vocabulary word folded for lookup: NFKC, no spaces or punctuation."""
    return _PUNCT.sub("", clean_text(value)).lower()


def unit_words(unit: Any) -> list[str]:
    """Every name a unit answers to in an import: full name, code, aliases (简称)."""
    aliases = [a for a in re.split(r"[、，,;；\n]+", getattr(unit, "aliases", "") or "") if a]
    return [unit.name, unit.code, *aliases]


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
