from __future__ import annotations

from django.conf import settings
from django.db import connection


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except Exception:
        return "error"


def broker_status() -> str:
    """'eager' when no broker is configured (the demo runs tasks in-process)."""
    if not settings.REDIS_URL:
        return "eager"
    try:
        import redis

        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2
        )
        client.ping()
        return "ok"
    except Exception:
        return "error"
