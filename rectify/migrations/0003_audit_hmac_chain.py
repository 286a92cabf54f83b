"""The audit chain switches from plain SHA-256 to HMAC-SHA256 keyed by AUDIT_HMAC_KEYS.

Events written before the switch are re-chained under the current key, in id order, so the
whole table verifies one way; the append-only triggers are lifted for that moment only and
put back before the migration commits. A table with events and no key configured stops
the migration: set AUDIT_HMAC_KEYS first.
"""

from django.core.exceptions import ImproperlyConfigured
from django.db import migrations, models


def rechain(apps, schema_editor):
    from rectify.audit import GENESIS_HASH, current_hmac_key, event_digest
    from rectify.audit_triggers import install_audit_triggers, remove_audit_triggers

    AuditEvent = apps.get_model("rectify", "AuditEvent")
    connection = schema_editor.connection
    db = connection.alias
    if not AuditEvent.objects.using(db).exists():
        # SQLite may have rebuilt the table for the new column, dropping its triggers.
        install_audit_triggers(connection)
        return
    try:
        key_id, key = current_hmac_key()
    except ImproperlyConfigured as exc:
        raise ImproperlyConfigured(
            "AUDIT_HMAC_KEYS must be set to re-chain the existing audit events"
        ) from exc
    remove_audit_triggers(connection)
    prev_hash = GENESIS_HASH
    for event in AuditEvent.objects.using(db).order_by("id").iterator(chunk_size=2000):
        digest = event_digest(
            at=event.at,
            actor_id=event.actor_id,
            actor_repr=event.actor_repr,
            verb=event.verb,
            action=event.action,
            object_type=event.object_type,
            object_id=event.object_id,
            summary=event.summary,
            ip=event.ip,
            prev_hash=prev_hash,
            key_id=key_id,
            key=key,
        )
        AuditEvent.objects.using(db).filter(pk=event.pk).update(
            prev_hash=prev_hash, hash=digest, key_id=key_id
        )
        prev_hash = digest
    install_audit_triggers(connection)


class Migration(migrations.Migration):
    dependencies = [
        ("rectify", "0002_audit_append_only"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="key_id",
            field=models.CharField(blank=True, default="", max_length=16),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="verb",
            field=models.CharField(
                choices=[
                    ("create", "新增"),
                    ("change", "修改"),
                    ("delete", "删除"),
                    ("read", "查阅"),
                    ("export", "导出"),
                    ("login", "登录"),
                    ("login_failed", "登录失败"),
                    ("logout", "退出"),
                    ("denied", "拒绝访问"),
                    ("other", "其他"),
                ],
                max_length=20,
                verbose_name="类型",
            ),
        ),
        migrations.RunPython(rechain, migrations.RunPython.noop),
    ]
