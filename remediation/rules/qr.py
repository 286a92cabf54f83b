"""QR codes for survey slips, drawn here (segno) as inline SVG: no image service, no
request leaves the server, the printed page needs nothing but itself."""

from __future__ import annotations

import segno
from django.utils.safestring import SafeString, mark_safe


def qr_svg(data: str, *, scale: int = 3) -> SafeString:
    """An inline <svg> of `data` (segno escapes nothing into the markup but the path)."""
    qr = segno.make(data, error="m")
    svg = qr.svg_inline(scale=scale, border=2, svgclass="slip-qr", lineclass=None)
    return mark_safe(svg)  # noqa: S308 - segno's own markup, `data` only shapes the path
