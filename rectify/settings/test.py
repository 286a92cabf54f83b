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
