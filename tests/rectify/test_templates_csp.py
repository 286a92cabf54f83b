"""The CSP allows scripts only from our own files: no template may carry an inline event
handler (onclick=…) or an inline <script> with code, which the browser would refuse."""

from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)


def test_no_template_has_inline_handlers_or_scripts():
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for pattern in (HANDLER, INLINE_SCRIPT):
            found += [
                f"{path.relative_to(TEMPLATES)}: {m.group(0)[:60]}" for m in pattern.finditer(text)
            ]
    assert not found, "\n".join(found)
