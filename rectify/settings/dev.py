"""Local development and the demo: SQLite unless DATABASE_URL says otherwise."""

from .base import *  # noqa: F403
from .env import env_bool

# Off by default, the demo included: Django's debug 404 lists every URL pattern and its
# error pages show settings and local variables. Set DEBUG=1 when developing.
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = ["*"]
# WhiteNoise serves the static files straight from the source folders, so the demo works
# from a fresh clone without collectstatic, with DEBUG on or off.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
# A fixed demo key for Fernet so the demo works with no configuration. Never in production.
if not FIELD_ENCRYPTION_KEYS:  # noqa: F405
    FIELD_ENCRYPTION_KEYS = ["ZGVtby1vbmx5LWtleS1kby1ub3QtdXNlLTAxMjM0NTY="]
# The demo accounts log in with a password only; OTP_ENFORCE=1 tries the second factor.
OTP_ENFORCE = env_bool("OTP_ENFORCE", False)
# A fixed demo audit key, so the demo's chain verifies with no configuration. Never in
# production (the deploy checks refuse it).
if not AUDIT_HMAC_KEYS:  # noqa: F405
    AUDIT_HMAC_KEYS = ["demo:demo-only-audit-key-do-not-use-0123456789abcdef"]
