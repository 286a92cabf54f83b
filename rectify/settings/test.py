"""pytest settings: fast hashing, eager Celery, the embedded or CI database."""

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = "cache+memory://"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
FIELD_ENCRYPTION_KEYS = [
    "dGVzdC1vbmx5LWtleS1kby1ub3QtdXNlLTAxMjM0NTY=",
    "b2xkLXRlc3Qta2V5LWZvci1yb3RhdGlvbi0wMTIzNDU=",
]
ALLOWED_HOSTS = ["*"]
# Off so the existing suite logs in with passwords; tests/rectify/test_2fa.py turns it on.
OTP_ENFORCE = False
# The newest key signs; the older one is kept to show rotation (tests/rectify/test_audit.py).
AUDIT_HMAC_KEYS = [
    "t2:test-only-audit-key-do-not-use-0123456789abcdef",
    "t1:old-test-audit-key-for-rotation-0123456789abcd",
]
AUDIT_ANCHOR_DIR = ""

# On SQLite, a file instead of Django's shared in-memory database: the live server's request
# threads then open their own connections, as real requests do, instead of sharing the test
# thread's (which broke when a request thread closed it).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    import os as _os
    import tempfile as _tempfile

    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": _os.path.join(_tempfile.gettempdir(), f"rectify-test-{_os.getpid()}.sqlite3")
    }
