"""The administrator's 干警名册 lists and searches the officers of the scope."""

from __future__ import annotations

from django.urls import reverse

from tests.factories import OfficerFactory


def test_it_lists_and_searches_officers_for_a_superuser_administrator(org, client):
    for i in range(5):
        OfficerFactory(unit=org.court_b, name=f"乙区干警{i}", number=f"B10{i}")
    assert org.admin.is_superuser
    client.force_login(org.admin)
    page = client.get(reverse("rectify:officer_list")).content.decode()
    assert "没有符合条件的记录" not in page
    for name in ("张三", "李四", "王五", "乙区干警4"):
        assert name in page
    page = client.get(reverse("rectify:officer_list"), {"q": "乙区干警"}).content.decode()
    assert "乙区干警0" in page and "乙区干警4" in page and "张三" not in page
    page = client.get(reverse("rectify:officer_list"), {"q": "A001"}).content.decode()
    assert "张三" in page and "李四" not in page
