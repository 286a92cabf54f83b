"""The one way remediation answers a stored file: as a download (`attachment`), typed from
our own table, never rendered by the browser."""

from __future__ import annotations

from urllib.parse import quote

from django.http import HttpResponse

from leads.services import safe_content_type

from ..models import Document


def content_disposition(name: str) -> str:
    """`attachment` with an ASCII fallback and the RFC 5987 UTF-8 name (RFC 6266 §4.3)."""
    ext = name.rsplit(".", 1)[-1] if "." in name else ""
    fallback = "".join(ch for ch in name if 32 <= ord(ch) < 127 and ch not in '"\\%;')
    if not fallback.strip(" ._-") or fallback.strip(" ._-") == ext:
        fallback = "document" + (f".{ext}" if ext else "")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def file_response(document: Document) -> HttpResponse:
    response = HttpResponse(
        bytes(document.content), content_type=safe_content_type(document.content_type)
    )
    response["Content-Disposition"] = content_disposition(document.name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
