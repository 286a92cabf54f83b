"""Django's admin speaks Chinese: every app and model name (third-party ones included)."""

from __future__ import annotations

import re

from django.apps import apps
from django.contrib import admin
from django.urls import reverse

HAN = re.compile(r"[\u4e00-\u9fff]")


def test_it_names_every_app_and_model_in_chinese():
    missing = []
    for config in apps.get_app_configs():
        models = list(config.get_models())
        shown = any(m in admin.site._registry for m in models)
        own = config.name in ("rectify", "selfcheck", "leads", "remediation")
        if (own or shown) and not HAN.search(str(config.verbose_name)):
            missing.append(f"app {config.label}: {config.verbose_name}")
        for model in models:
            if not (own or model in admin.site._registry):
                continue
            meta = model._meta
            for name in (meta.verbose_name, meta.verbose_name_plural):
                if not HAN.search(str(name)) or str(name).endswith("s"):
                    missing.append(f"{meta.label}: {name}")
    assert missing == []


def test_it_shows_the_admin_index_and_axes_pages_in_chinese(org, client):
    client.force_login(org.admin)
    page = client.get(reverse("admin:index")).content.decode()
    for english in (
        "Axes",
        "AXES",
        "Access attempts",
        "Access failures",
        "Access logs",
        "Selfcheck",
    ):
        assert english not in page, english
    for chinese in ("登录防护", "登录尝试", "登录失败记录", "登录日志", "干警自查"):
        assert chinese in page, chinese
    page = client.get(reverse("admin:axes_accessattempt_changelist")).content.decode()
    assert "access attempt" not in page.lower()
    assert "登录防护" in page and "登录尝试" in page
