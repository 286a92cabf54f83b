from __future__ import annotations

import os

import pytest
from django.conf import settings

from rectify.tasks import audit_verify_chain


@pytest.mark.django_db
def test_healthz_reports_database_and_eager_broker(client, settings):
    settings.REDIS_URL = None
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "eager"}


@pytest.mark.django_db
def test_healthz_reports_a_dead_broker(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"] == "error"


@pytest.mark.django_db
def test_healthz_with_the_real_redis(client, settings):
    if not os.environ.get("REDIS_URL"):
        pytest.skip("REDIS_URL not set (CI sets it)")
    settings.REDIS_URL = os.environ["REDIS_URL"]
    assert client.get("/healthz").json()["broker"] == "ok"


@pytest.mark.django_db
def test_nightly_audit_check_is_scheduled_and_runs():
    names = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "rectify.tasks.audit_verify_chain" in names
    assert audit_verify_chain.delay().get() == {"ok": True}
    assert audit_verify_chain.acks_late is True
