"""`check --deploy` refuses placeholder and published secrets and a missing audit key."""

from __future__ import annotations

import base64
import os

import pytest
from django.core.checks import run_checks

GOOD_FERNET = base64.urlsafe_b64encode(os.urandom(32)).decode()
GOOD_AUDIT = "a1:" + base64.urlsafe_b64encode(os.urandom(36)).decode()
GOOD_SECRET = base64.urlsafe_b64encode(os.urandom(48)).decode()


def _ids(settings, **overrides) -> set[str]:
    values = {
        "SECRET_KEY": GOOD_SECRET,
        "FIELD_ENCRYPTION_KEYS": [GOOD_FERNET],
        "AUDIT_HMAC_KEYS": [GOOD_AUDIT],
        "AUDIT_ANCHOR_DIR": "/var/lib/rectify/audit-anchor",
    }
    values.update(overrides)
    for name, value in values.items():
        setattr(settings, name, value)
    return {m.id for m in run_checks(include_deployment_checks=True) if m.id.startswith("rectify")}


def test_it_passes_with_real_secrets(settings):
    assert _ids(settings) == set()


@pytest.mark.parametrize(
    "key",
    [
        "change-me-to-a-long-random-string-of-at-least-50-characters",  # .env.example
        "dev-only-insecure-key-change-me-in-production-0123456789",  # base.py default
    ],
)
def test_it_refuses_the_placeholder_secret_key(settings, key):
    assert "rectify.E001" in _ids(settings, SECRET_KEY=key)


def test_it_refuses_empty_or_bad_or_published_field_encryption_keys(settings):
    assert "rectify.E002" in _ids(settings, FIELD_ENCRYPTION_KEYS=[])
    assert "rectify.E003" in _ids(settings, FIELD_ENCRYPTION_KEYS=["not-a-fernet-key"])
    demo = "ZGVtby1vbmx5LWtleS1kby1ub3QtdXNlLTAxMjM0NTY="  # rectify/settings/dev.py
    assert "rectify.E004" in _ids(settings, FIELD_ENCRYPTION_KEYS=[demo])


def test_it_refuses_a_missing_short_or_published_audit_key(settings):
    assert "rectify.E006" in _ids(settings, AUDIT_HMAC_KEYS=[])
    assert "rectify.E005" in _ids(settings, AUDIT_HMAC_KEYS=["no-id-separator"])
    assert "rectify.E007" in _ids(settings, AUDIT_HMAC_KEYS=["a1:short"])
    demo = "demo:demo-only-audit-key-do-not-use-0123456789abcdef"  # rectify/settings/dev.py
    assert "rectify.E008" in _ids(settings, AUDIT_HMAC_KEYS=[demo])


def test_it_warns_when_the_audit_head_has_nowhere_to_be_anchored(settings):
    assert _ids(settings, AUDIT_ANCHOR_DIR="") == {"rectify.W001"}
