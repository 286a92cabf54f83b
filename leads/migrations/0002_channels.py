"""The twelve channels named in the speech (L1); editable afterwards in the admin."""

from django.db import migrations

CHANNELS = [
    ("hotline", "举报电话"),
    ("mailbox", "举报信箱"),
    ("online", "网上举报平台"),
    ("visit", "走访当事人"),
    ("letter_inquiry", "函询"),
    ("democratic_evaluation", "民主测评"),
    ("individual_talk", "个别谈话"),
    ("inspection", "明察暗访"),
    ("organised_crime_review", "涉黑涉恶案件倒查"),
    ("petition_review", "涉法涉诉信访案件评查"),
    ("key_case_review", "重点案件评查"),
    ("legal_inspection", "执法司法专项检查"),
]


def add_channels(apps, schema_editor):
    Channel = apps.get_model("leads", "Channel")
    for order, (code, name) in enumerate(CHANNELS, start=1):
        Channel.objects.get_or_create(code=code, defaults={"name": name, "order": order * 10})


def remove_channels(apps, schema_editor):
    apps.get_model("leads", "Channel").objects.filter(code__in=[c for c, _ in CHANNELS]).delete()


class Migration(migrations.Migration):
    dependencies = [("leads", "0001_initial")]

    operations = [migrations.RunPython(add_channels, remove_channels)]
