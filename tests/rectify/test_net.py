"""Client addresses behind load balancers (rate limits and lockouts must not be shared by
everyone behind the balancer, nor spoofable by a client's own X-Forwarded-For)."""

from __future__ import annotations

from django.test import RequestFactory, override_settings

from rectify.net import client_ip


def _request(forwarded: str | None):
    meta = {"REMOTE_ADDR": "10.0.0.2"}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_without_trusted_proxies_x_forwarded_for_is_ignored():
    assert client_ip(_request("203.0.113.9")) == "10.0.0.2"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_the_address_it_saw_is_used_not_a_spoofed_one():
    # The balancer appends the address it saw; anything the client sent stays on the left.
    assert client_ip(_request("198.51.100.7")) == "198.51.100.7"
    assert client_ip(_request("1.2.3.4, 198.51.100.7")) == "198.51.100.7"
    assert client_ip(_request(None)) == "10.0.0.2"


@override_settings(TRUSTED_PROXY_COUNT=2)
def test_behind_two_proxies_the_second_entry_from_the_right_is_the_client():
    assert client_ip(_request("1.2.3.4, 198.51.100.7, 10.0.0.5")) == "198.51.100.7"


@override_settings(TRUSTED_PROXY_COUNT=1, LEADS_PUBLIC_RATE=1)
def test_l1_public_rate_limit_is_per_client_behind_the_balancer(client, db):
    from django.core.cache import cache

    from tests.factories import OfficeFactory, UnitFactory

    cache.clear()
    url = "/leads/report/"
    # Only accepted reports count (issue 10: a mistyped form no longer uses up the limit).
    report = {
        "office": OfficeFactory(host_unit=(u := UnitFactory()), jurisdiction=u).pk,
        "category": "interference",
        "summary": "某干警多次过问他人案件，要求关照",
    }
    assert client.post(url, {}, HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 200
    first = client.post(url, report, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert first.status_code == 302  # accepted, counted
    assert client.post(url, report, HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 429
    # another reporter behind the same balancer is not blocked
    assert client.post(url, report, HTTP_X_FORWARDED_FOR="198.51.100.8").status_code == 302
    # nor can the first one escape by writing their own header entry
    spoofed = client.post(url, report, HTTP_X_FORWARDED_FOR="9.9.9.9, 198.51.100.7")
    assert spoofed.status_code == 429
