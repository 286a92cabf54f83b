"""The one place where request values become ids, numbers, dates, decimals and cursors.

Query parameters are typed by people and by crawlers: `?office=²` passes `str.isdigit()` but
not `int()`, `?office=99999999999999999999999` passes `int()` but overflows the database's
integer, a forged cursor decodes to values its column cannot hold. Every such value is
*garbage*: the filter helpers here answer None (the filter is ignored, the page still
renders), and `required_*` variants raise `BadRequest`, which Django answers with the
Chinese 400 page (templates/400.html). Nothing here touches the database.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import math
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import BadRequest, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from collections.abc import Mapping

# The widest integer every supported database stores (SQLite INTEGER, PostgreSQL bigint).
DB_INT_MAX = 2**63 - 1
# Ids are `AutoField`/`BigAutoField`; PostgreSQL `integer` columns stop at 2**31 - 1.
ID_MAX = 2**31 - 1

ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
DATE_MIN = dt.date(1900, 1, 1)
DATE_MAX = dt.date(2999, 12, 31)

BAD_PARAMETER = _("请求参数“%(name)s”无效。")
DATE_OUT_OF_RANGE = _("日期超出范围（1900-01-01 至 2999-12-31）。")
NUMBER_INVALID = _("请输入有效的数字。")
NUMBER_NOT_FINITE = _("请输入有效的数字（不能是 NaN 或无穷大）。")
NUMBER_OUT_OF_RANGE = _("数字超出允许范围（最大 %(max)s）。")


def int_value(
    value: Any, *, min_value: int | None = None, max_value: int = DB_INT_MAX
) -> int | None:
    """An ASCII decimal integer within [min_value, max_value], or None for anything else.

    `str.isdigit()` accepts '²' and other Unicode digits that `int()` refuses, and `int()`
    accepts arbitrarily large numbers that no column holds; both are garbage here."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    else:
        text = str(value or "").strip()
        sign = text[:1] if text[:1] in "+-" else ""
        digits = text[len(sign) :]
        if not digits or not digits.isascii() or not digits.isdigit() or len(digits) > 19:
            return None
        number = int(text)
    if min_value is not None and number < min_value:
        return None
    return number if number <= max_value else None


def id_value(value: Any) -> int | None:
    """A primary key as typed in a URL or form: 1 … ID_MAX, else None."""
    return int_value(value, min_value=1, max_value=ID_MAX)


def id_param(params: Mapping[str, Any], name: str) -> int | None:
    """`params[name]` as an id, or None when missing or garbage (the filter is ignored)."""
    return id_value(params.get(name))


def ids_param(params: Mapping[str, Any], name: str) -> list[int]:
    """Every valid id among the repeated values of `name`; garbage values are dropped."""
    return [i for i in (id_value(v) for v in params.getlist(name)) if i is not None]


def int_param(
    params: Mapping[str, Any],
    name: str,
    *,
    min_value: int | None = None,
    max_value: int = DB_INT_MAX,
) -> int | None:
    return int_value(params.get(name), min_value=min_value, max_value=max_value)


def required_id_param(params: Mapping[str, Any], name: str) -> int:
    """Like `id_param`, but a missing or garbage value answers 400."""
    value = id_param(params, name)
    if value is None:
        raise BadRequest(BAD_PARAMETER % {"name": name})
    return value


def validate_date_range(value: dt.date) -> None:
    """Form validator: a date the app can compute with. 9999-12-31 plus one day, or
    0001-01-01 moved to UTC, overflow Python's date range (a 500 before)."""
    if not (DATE_MIN <= value <= DATE_MAX):
        raise ValidationError(DATE_OUT_OF_RANGE, code="date_range")


def date_value(value: Any) -> dt.date | None:
    """An ISO date (YYYY-MM-DD) between DATE_MIN and DATE_MAX, or None."""
    if isinstance(value, dt.date):
        day = value
    else:
        text = str(value or "").strip()
        if not ISO_DATE.fullmatch(text):  # fromisoformat also takes "20240101", "2024-W01-1"
            return None
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            return None
    return day if DATE_MIN <= day <= DATE_MAX else None


def date_param(params: Mapping[str, Any], name: str) -> dt.date | None:
    return date_value(params.get(name))


def decimal_value(
    value: Any, *, max_digits: int, decimal_places: int, min_value: Decimal | None = None
) -> Decimal:
    """A finite decimal that fits a `DecimalField(max_digits, decimal_places)`.

    Raises ValidationError with a Chinese message otherwise: Decimal('NaN') compares false
    with everything (so `>= 0` checks let it through) and '1e30' is stored on SQLite as a
    REAL that reads back unreadably."""
    text = str(value).replace(",", "").replace("，", "").strip()
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError(NUMBER_INVALID, code="invalid") from exc
    if not number.is_finite():
        raise ValidationError(NUMBER_NOT_FINITE, code="invalid")
    limit = Decimal(10) ** (max_digits - decimal_places)
    if abs(number) >= limit:
        raise ValidationError(NUMBER_OUT_OF_RANGE % {"max": f"{limit - 1:,}"}, code="max_value")
    if min_value is not None and number < min_value:
        raise ValidationError(NUMBER_INVALID, code="min_value")
    return number.quantize(Decimal(1).scaleb(-decimal_places))


# --- keyset cursors ---------------------------------------------------------------------


class _CursorEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder cuts datetimes to milliseconds (ECMA-262); a cursor must keep every
    microsecond, or rows stored within the millisecond after a page's last row are skipped."""

    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime):
            return o.isoformat()
        return super().default(o)


def encode_cursor(values: Sequence[Any]) -> str:
    raw = json.dumps(list(values), cls=_CursorEncoder).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def cursor_values(cursor: str | None, fields: Iterable[models.Field]) -> list[Any] | None:
    """Decode an opaque `?after=` cursor into one typed value per ordering field, or None.

    A cursor is ours only if it decodes to a JSON list with one non-null value per field and
    each value converts to its field's type and fits the database; anything else (forged,
    truncated, from another page) is garbage and the list starts at the first page."""
    fields = list(fields)
    if not cursor or len(cursor) > 1000:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        raw = json.loads(base64.urlsafe_b64decode(padded.encode()), parse_constant=_no_constant)
    except (ValueError, TypeError, binascii.Error):
        return None
    if not isinstance(raw, list) or len(raw) != len(fields):
        return None
    values = []
    for field, value in zip(fields, raw, strict=True):
        if value is None or isinstance(value, (list, dict)):
            return None
        try:
            typed = field.to_python(value)
        except (ValidationError, TypeError, ValueError, OverflowError):
            return None
        if typed is None or (isinstance(typed, int) and abs(typed) > DB_INT_MAX):
            return None
        if isinstance(typed, float) and not math.isfinite(typed):
            return None
        values.append(typed)
    return values


def _no_constant(name: str) -> None:
    raise ValueError(name)  # NaN / Infinity are not JSON
