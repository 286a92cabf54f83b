from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from rectify.models import Officer, Unit


@pytest.mark.django_db
def test_bench_scope_prints_json_and_leaves_nothing_behind():
    out = StringIO()
    call_command(
        "bench", "scope", "--units", "60", "--officers", "500", "--repeat", "1", stdout=out
    )
    report = json.loads(out.getvalue())
    assert report["results"]["leader"]["officers_in_scope"] == 500
    assert 0 < report["results"]["reviewer"]["officers_in_scope"] < 500
    assert report["results"]["leader"]["officers_first_page"]["queries"] <= 2
    assert Unit.objects.count() == 0 and Officer.objects.count() == 0
