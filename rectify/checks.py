"""Deploy checks (`manage.py check --deploy`) for the secrets Django's own checks miss.

Django's security.W009 only looks at a SECRET_KEY's length and variety, so the
placeholder of .env.example passed; nothing looked at the Fernet keys of reporter
identities or at the audit chain's HMAC key.
"""

from __future__ import annotations

import base64
import binascii
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured

from .audit import MIN_KEY_BYTES, parse_hmac_keys

if TYPE_CHECKING:
    from collections.abc import Sequence

    from django.apps import AppConfig

# Keys that are published in this repository (dev, test and build settings).
_PUBLISHED_MARKERS = ("change-me", "changeme", "dev-only", "test-only", "demo-only", "build-only")


def _example_values() -> set[str]:
    """The values of .env.example: copying one into production is the mistake to catch."""
    path = Path(settings.BASE_DIR) / ".env.example"
    if not path.exists():
        return set()
    values = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        name, sep, value = line.partition("=")
        if sep and not name.lstrip().startswith("#") and value.strip():
            values.update(v.strip() for v in value.split(","))
    return values


def _published(value: str) -> bool:
    lowered = value.lower()
    if any(marker in lowered for marker in _PUBLISHED_MARKERS):
        return True
    return value in _example_values()


def _fernet_key_ok(key: str) -> bool:
    try:
        return len(base64.urlsafe_b64decode(key.encode())) == 32
    except (binascii.Error, ValueError):
        return False


def _is_published_fernet_key(key: str) -> bool:
    try:
        decoded = base64.urlsafe_b64decode(key.encode()).decode("ascii", "ignore")
    except (binascii.Error, ValueError):
        return False
    return _published(decoded) or _published(key)


@register(Tags.security, deploy=True)
def check_secret_key(app_configs: Sequence[AppConfig] | None = None, **kwargs) -> list[Error]:
    if _published(str(getattr(settings, "SECRET_KEY", "") or "")):
        return [
            Error(
                "SECRET_KEY is a placeholder or a key published in the repository.",
                hint='Generate one: python -c "import secrets; print(secrets.token_urlsafe(60))"',
                id="rectify.E001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_field_encryption_keys(
    app_configs: Sequence[AppConfig] | None = None, **kwargs
) -> list[Error]:
    keys = list(getattr(settings, "FIELD_ENCRYPTION_KEYS", []) or [])
    hint = (
        'FIELD_ENCRYPTION_KEYS: python -c "from cryptography.fernet import Fernet; '
        'print(Fernet.generate_key().decode())" (newest first, comma separated)'
    )
    if not keys:
        return [
            Error(
                "FIELD_ENCRYPTION_KEYS is empty: reporter identities cannot be encrypted.",
                hint=hint,
                id="rectify.E002",
            )
        ]
    if not all(_fernet_key_ok(k) for k in keys):
        return [
            Error(
                "FIELD_ENCRYPTION_KEYS holds a key that is not a Fernet key.",
                hint=hint,
                id="rectify.E003",
            )
        ]
    if any(_is_published_fernet_key(k) for k in keys):
        return [
            Error("FIELD_ENCRYPTION_KEYS holds a demo or test key.", hint=hint, id="rectify.E004")
        ]
    return []


@register(Tags.security, deploy=True)
def check_audit_keys(
    app_configs: Sequence[AppConfig] | None = None, **kwargs
) -> list[Error | Warning]:
    hint = (
        "AUDIT_HMAC_KEYS=<id>:<secret>, newest first: "
        "python -c \"import secrets; print('a1:' + secrets.token_urlsafe(48))\""
    )
    try:
        keys = parse_hmac_keys(list(getattr(settings, "AUDIT_HMAC_KEYS", []) or []))
    except ImproperlyConfigured as exc:
        return [Error(str(exc), hint=hint, id="rectify.E005")]
    problems: list[Error | Warning] = []
    if not keys:
        problems.append(
            Error(
                "AUDIT_HMAC_KEYS is empty: the audit trail cannot be signed.",
                hint=hint,
                id="rectify.E006",
            )
        )
    elif any(len(secret) < MIN_KEY_BYTES for _, secret in keys):
        problems.append(
            Error(
                f"An AUDIT_HMAC_KEYS secret is shorter than {MIN_KEY_BYTES} bytes.",
                hint=hint,
                id="rectify.E007",
            )
        )
    elif any(_published(secret.decode(errors="ignore")) for _, secret in keys):
        problems.append(
            Error("AUDIT_HMAC_KEYS holds a demo or test key.", hint=hint, id="rectify.E008")
        )
    if not getattr(settings, "AUDIT_ANCHOR_DIR", ""):
        problems.append(
            Warning(
                "AUDIT_ANCHOR_DIR is unset: the audit chain head is anchored in the log only "
                "and verify_audit cannot detect removed newest events.",
                hint="Point it at a volume outside the database (docker-compose: auditanchor).",
                id="rectify.W001",
            )
        )
    return problems
