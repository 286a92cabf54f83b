"""Reporter identity encryption: key rotation with `leads_rotate_keys` (MultiFernet)."""

from __future__ import annotations

from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError

from leads.models import Lead
from rectify.models import AuditEvent

pytestmark = pytest.mark.django_db

OLD = Fernet.generate_key().decode()
NEW = Fernet.generate_key().decode()


def tokens():
    return list(
        Lead.objects.order_by("id").values_list("reporter_name_enc", "reporter_contact_enc")
    )


def rotate(*args) -> str:
    out = StringIO()
    call_command("leads_rotate_keys", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def old_leads(settings, register):
    """Three leads with reporter data under the OLD key, one anonymous."""
    settings.FIELD_ENCRYPTION_KEYS = [OLD]
    leads = [
        register(reporter_anonymous=False, reporter_name="刘举报", reporter_contact="13900000000"),
        register(reporter_anonymous=False, reporter_name="陈实名", reporter_contact=""),
        register(reporter_anonymous=True),
    ]
    return leads


def test_values_encrypted_with_an_old_key_are_readable_with_only_the_new_key(settings, old_leads):
    settings.FIELD_ENCRYPTION_KEYS = [NEW, OLD]
    output = rotate("--batch-size", "1")
    assert "2 leads with reporter data; re-encrypted 3 values" in output
    settings.FIELD_ENCRYPTION_KEYS = [NEW]
    first, second, anonymous = (Lead.objects.get(pk=lead.pk) for lead in old_leads)
    assert (first.reporter_name, first.reporter_contact) == ("刘举报", "13900000000")
    assert (second.reporter_name, second.reporter_contact) == ("陈实名", "")
    assert anonymous.reporter_name_enc == "" and anonymous.reporter_name == ""
    audit = AuditEvent.objects.get(action="leads.reporter_keys.rotated")
    assert audit.summary["rotated"] == 3 and "刘举报" not in repr(audit.summary)


def test_without_rotation_the_old_values_need_the_old_key(settings, old_leads):
    settings.FIELD_ENCRYPTION_KEYS = [NEW]
    with pytest.raises(ImproperlyConfigured):
        _ = Lead.objects.get(pk=old_leads[0].pk).reporter_name


def test_dry_run_changes_nothing(settings, old_leads):
    settings.FIELD_ENCRYPTION_KEYS = [NEW, OLD]
    before = tokens()
    output = rotate("--dry-run")
    assert output.startswith("dry run:") and "would re-encrypt 3 values" in output
    assert tokens() == before
    assert not AuditEvent.objects.filter(action="leads.reporter_keys.rotated").exists()


def test_rotation_is_idempotent(settings, old_leads):
    settings.FIELD_ENCRYPTION_KEYS = [NEW, OLD]
    rotate()
    after_first = tokens()
    output = rotate()
    assert "re-encrypted 0 values; 3 already under the newest key" in output
    assert tokens() == after_first


def test_values_no_key_can_read_are_reported_and_left_alone(settings, old_leads):
    settings.FIELD_ENCRYPTION_KEYS = [NEW]  # the old key was dropped too early
    before = tokens()
    with pytest.raises(CommandError, match="cannot be decrypted"):
        rotate()
    assert tokens() == before
