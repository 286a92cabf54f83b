"""The client's address, the same way everywhere (login lockout, audit, public rate limits).

Behind a load balancer set TRUSTED_PROXY_COUNT to the number of proxies in front of the app.
Each proxy appends the address it saw to X-Forwarded-For, so the client's address is the
entry TRUSTED_PROXY_COUNT from the right (whatever a client wrote into the header itself
stays further left and is ignored). With 0 (the default) only REMOTE_ADDR is used.
docker-compose runs exactly one proxy (nginx, deploy/nginx/rectify.conf), which overwrites
the header with its TCP peer, and sets TRUSTED_PROXY_COUNT=1; the app port is not published,
so nothing reaches the app around the proxy. Counting more proxies than there are hands the
choice of address to the client.
django-ipware's `proxy_count` does not fit: when a client adds its own entry it returns the
leftmost, client-written one. django-axes uses this function too (AXES_CLIENT_IP_CALLABLE).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count > 0:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [h for h in hops if h]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR") or None
