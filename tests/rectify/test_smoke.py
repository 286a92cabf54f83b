from __future__ import annotations

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_it_shows_home_in_chinese(client, org):
    client.force_login(org.officer_a.user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "您好" in response.content.decode()


@pytest.mark.django_db
def test_it_redirects_anonymous_to_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
