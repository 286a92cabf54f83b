"""The one way a remediation Document leaves the server: as an attachment, never rendered."""

from __future__ import annotations

from urllib.parse import quote

from django.http import HttpResponse

from leads.services import safe_content_type

from ..models import Document


def document_response(document: Document) -> HttpResponse:
    response = HttpResponse(
        bytes(document.content), content_type=safe_content_type(document.content_type)
    )
    ascii_name = document.name.encode("ascii", "ignore").decode() or "document"
    ascii_name = ascii_name.replace('"', "_")
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(document.name)}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
