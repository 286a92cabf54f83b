"""Field encryption for reporter identity (MultiFernet over settings.FIELD_ENCRYPTION_KEYS).

Keys are Fernet keys (urlsafe base64 of 32 bytes), newest first. To rotate: put a new key in
front of FIELD_ENCRYPTION_KEYS (keep the old ones behind it), deploy, then run
`python manage.py leads_rotate_keys` to re-encrypt every stored value with the newest key;
afterwards the old keys can be dropped.
"""

from __future__ import annotations

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is empty: reporter data cannot be stored")
    return MultiFernet([Fernet(k.encode() if isinstance(k, str) else k) for k in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(value: str) -> str:
    if not value:
        return ""
    return fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "reporter data cannot be decrypted with the configured keys"
        ) from exc


def rotate(token: str) -> str:
    """The token re-encrypted with the newest key."""
    if not token:
        return ""
    return fernet().rotate(token.encode()).decode()
