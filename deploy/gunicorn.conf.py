"""Gunicorn settings for production: the Dockerfile's CMD and docker-compose's web service
both run `gunicorn -c deploy/gunicorn.conf.py rectify.wsgi`.

No traces of reporters: the access log never carries the client's address or any request
header (user agent, forwarded-for, referer), whatever access_log_format says, and the
public pages (reporting, status, acceptance survey, commitments) are not access-logged at
all (their path and time alone would date a report or an answer). tests/rectify/test_public_traces.py runs this very command.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from gunicorn import glogging

if TYPE_CHECKING:
    import datetime as dt
    from typing import Any

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "4"))
accesslog = "-"
errorlog = "-"
# Time, method, path (no query string), status, bytes, duration.
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'

# The public pages: leads/urls.py's report/ and report/status/ (mounted under /leads/),
# remediation/urls.py's acceptance survey and units' public commitments pages.
PUBLIC_PREFIXES = ("/leads/report/", "/remediation/survey/", "/remediation/public/")
_BLANKED = ("h", "a", "f", "l", "u", "q")


class PrivacyLogger(glogging.Logger):
    """Gunicorn's logger without client address, request headers or query strings."""

    def atoms(
        self, resp: Any, req: Any, environ: dict[str, Any], request_time: dt.timedelta
    ) -> dict[str, Any]:
        atoms = super().atoms(resp, req, environ, request_time)
        for name in list(atoms):
            # "{header}i" request headers, "{variable}e" WSGI environ (REMOTE_ADDR ...).
            if name in _BLANKED or name.endswith(("}i", "}e")):
                atoms[name] = "-"
        atoms["r"] = f"{atoms['m']} {atoms['U']} {atoms['H']}"  # the request line, no query
        return atoms

    def access(
        self, resp: Any, req: Any, environ: dict[str, Any], request_time: dt.timedelta
    ) -> None:
        if environ.get("PATH_INFO", "").startswith(PUBLIC_PREFIXES):
            return
        super().access(resp, req, environ, request_time)


logger_class = PrivacyLogger
