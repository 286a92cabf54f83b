"""Small generated files for the demo's plan documents and evidence (no fonts needed)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile


def _pdf(title: str) -> bytes:
    """A one-page PDF naming `title` (ASCII only: the demo needs no fonts)."""
    text = title.encode("ascii", "replace").decode()
    stream = f"BT /F1 14 Tf 72 720 Td ({text}) Tj ET".encode()
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def demo_file(name: str, *, pdf: bool) -> SimpleUploadedFile:
    if pdf:
        return SimpleUploadedFile(f"{name}.pdf", _pdf(name), content_type="application/pdf")
    body = f"{name}\n整改情况说明：已按措施完成整改，附相关台账。\n".encode()
    return SimpleUploadedFile(f"{name}.txt", body, content_type="text/plain")
