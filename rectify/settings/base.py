"""Settings shared by every environment. Configuration comes from environment variables."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-change-me-in-production-0123456789")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "guardian",
    "treebeard",
    "axes",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "rectify",
    "selfcheck",
    "leads",
    "remediation",
    "leadership",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "rectify.middleware.BadInputMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # The second factor comes before the password change: an enrolled account's password
    # cannot be changed by someone who knows only the password.
    "rectify.middleware.SecondFactorMiddleware",
    "rectify.middleware.ForcePasswordChangeMiddleware",
    # AxesMiddleware should be the last middleware.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "rectify.urls"
WSGI_APPLICATION = "rectify.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "rectify.context_processors.navigation",
            ],
        },
    }
]

# --- Database ---------------------------------------------------------------
# PostgreSQL in production and CI (DATABASE_URL); SQLite is the embedded default.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock at BEGIN, so read-then-write sequences such as
        # the audit hash chain cannot interleave between two requests.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis, cache, Celery -----------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
# Without a broker the demo runs tasks in-process.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The one beat schedule of the project; apps add their periodic tasks here.
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    "rectify-verify-audit-chain": {
        "task": "rectify.tasks.audit_verify_chain",
        "schedule": crontab(minute=17, hour=2),
    },
    # The chain head leaves the database this often (truncation detected up to this window).
    "rectify-anchor-audit-head": {
        "task": "rectify.tasks.audit_anchor",
        "schedule": timedelta(minutes=env_int("AUDIT_ANCHOR_EVERY_MINUTES", 10)),
    },
    # Maintained figures: recomputed after midnight (overdue moves with the date), then the
    # day's snapshot for the trends (rectify.figures).
    "rectify-figures-nightly": {
        "task": "rectify.tasks.figures_nightly",
        "schedule": crontab(minute=5, hour=0),
    },
    "rectify-purge-login-records": {
        "task": "rectify.tasks.login_records_purge",
        "schedule": crontab(minute=5, hour=3),
    },
    "selfcheck-send-reminders": {
        "task": "selfcheck.tasks.selfcheck_send_reminders",
        "schedule": crontab(minute=0, hour=9),
    },
    "leads-escalate-overdue": {
        "task": "leads.tasks.leads_escalate_overdue",
        "schedule": crontab(minute=40, hour=1),
    },
    "remediation-send-reminders": {
        "task": "remediation.tasks.remediation_send_reminders",
        "schedule": crontab(minute=30, hour=8),
    },
    "leads-import-expire": {
        "task": "leads.tasks.lead_import_expire",
        "schedule": crontab(minute=5),
    },
    # Just after midnight: rotations taking effect today move officers before office hours.
    "remediation-apply-rotations": {
        "task": "remediation.tasks.remediation_apply_rotations",
        "schedule": crontab(minute=10, hour=0),
    },
    # O1: overdue 督办单 go up to the addressee's superior unit before office hours.
    "leadership-supervision-escalate": {
        "task": "leadership.tasks.supervision_escalate",
        "schedule": crontab(minute=50, hour=1),
    },
    # Late on each day: on a period's last day, one report per office (idempotent).
    "leadership-schedule-reports": {
        "task": "leadership.tasks.reports_schedule_run",
        "schedule": crontab(minute=30, hour=22),
    },
}

# --- Auth, sessions, lockout --------------------------------------------------
AUTH_USER_MODEL = "rectify.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

SESSION_COOKIE_AGE = 30 * 60  # 30 minutes of inactivity ...
SESSION_SAVE_EVERY_REQUEST = True  # ... counted from the last request
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# The CSRF cookie lives as long as the browser session, not a year: the public reporting
# page leaves nothing on a reporter's device that outlives the visit.
CSRF_COOKIE_AGE = None

AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
# Either set locks: a username after AXES_FAILURE_LIMIT failures from any mix of addresses
# (rotating addresses gains nothing), and one client (address + browser) trying many names.
AXES_LOCKOUT_PARAMETERS = [["username"], ["ip_address", "user_agent"]]
# Staff login records (axes: address, browser, time) are deleted after this many days.
AXES_RETENTION_DAYS = env_int("AXES_RETENTION_DAYS", 30)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# Client addresses (rectify.net.client_ip): behind N trusted proxies / load balancers, read
# X-Forwarded-For counting N from the right; with 0, REMOTE_ADDR only.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "rectify.net.client_ip"

# --- Second factor (django-otp: TOTP, recovery codes) ------------------------------
# Holders of these roles (and staff/superusers, who count as administrators) must pass a
# TOTP or recovery code after the password; unenrolled ones are led through enrolment.
# On in production (prod.py forces it); dev/demo and tests turn it off.
OTP_ENFORCE = env_bool("OTP_ENFORCE", True)
OTP_REQUIRED_ROLES = ["intake", "office", "leader", "unit_head", "admin"]
# Shown in the authenticator app; kept short because each Chinese character costs 9 bytes of
# the QR code (percent-encoded, in the label and the issuer).
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "查纠整改")
OTP_RECOVERY_CODES = 10
# Failed codes wait 1, 2, 4, 8 ... seconds per device before the next try (django-otp).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

GUARDIAN_RAISE_403 = False
ANONYMOUS_USER_NAME = None  # no guardian anonymous user row

# --- i18n ---------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
# Only Simplified Chinese for now: no other catalogue exists, and offering "en" would let a
# browser's Accept-Language switch dates and numbers to English formats.
LANGUAGES = [("zh-hans", _("简体中文"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files: vendored, nothing from the internet -------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Security headers ---------------------------------------------------------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        # Inline style attributes are allowed (ECharts and htmx set them); scripts are not.
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# --- Uploads and application limits ---------------------------------------------
# Uploaded files are kept in PostgreSQL (bytea), not on local disk: web and worker
# containers stay stateless and can run on several machines.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
EXCEL_IMPORT_MAX_BYTES = env_int("EXCEL_IMPORT_MAX_BYTES", 20 * 1024 * 1024)
EXCEL_IMPORT_MAX_ROWS = env_int("EXCEL_IMPORT_MAX_ROWS", 200_000)

# Keep the request IP on audit events only where policy allows it.
AUDIT_KEEP_IP = env_bool("AUDIT_KEEP_IP", False)
# HMAC keys of the audit chain, "id:secret" comma separated, newest first (rotation: put a
# new key in front, keep the old ones as long as events signed with them exist). From the
# environment only, never in the database. See SECURITY.md.
AUDIT_HMAC_KEYS = env_list("AUDIT_HMAC_KEYS", [])
# Where the chain head is anchored (append-only file); empty: log line only.
AUDIT_ANCHOR_DIR = env_str("AUDIT_ANCHOR_DIR", "") or ""

# Key(s) for encrypting reporter identities (Fernet, comma separated, newest first).
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS", [])

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "rectify@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Leads: days within which a received lead must be registered and screened (L2); public
# reporting page rate limit (submissions per client per hour; counted in the cache only).
LEADS_INTAKE_DAYS = env_int("LEADS_INTAKE_DAYS", 7)
LEADS_PUBLIC_RATE = env_int("LEADS_PUBLIC_RATE", 5)
# L10: a lead under handling untouched this many days is 有线索不查; overdue and untouched
# leads climb one step of the responsibility chain every LEADS_ESCALATE_DAYS.
LEADS_UNTOUCHED_DAYS = env_int("LEADS_UNTOUCHED_DAYS", 15)
LEADS_ESCALATE_DAYS = env_int("LEADS_ESCALATE_DAYS", 7)
# Attachments (kept in the database, served through a permission-checked view).
LEADS_ATTACHMENT_MAX_BYTES = env_int("LEADS_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
LEADS_ATTACHMENTS_PER_LEAD = env_int("LEADS_ATTACHMENTS_PER_LEAD", 20)
