"""gunicorn's settings for CivicGrid (``gunicorn -c config/gunicorn.py``).

The access log writes every request as gunicorn does, except those of the
sealed discipline channel: their lines keep the time, the method, the path's
first part, the status and the size — no client address, no browser, no
referrer, no query string."""

from __future__ import annotations

from typing import Any

from gunicorn.glogging import Logger

SEALED_PREFIX = "/discipline/"


class SealedAccessLogger(Logger):
    def access(self, resp: Any, req: Any, environ: dict, request_time: Any) -> None:
        path = environ.get("PATH_INFO", "")
        if not path.startswith(SEALED_PREFIX):
            super().access(resp, req, environ, request_time)
            return
        if not (self.cfg.accesslog or self.cfg.logconfig or self.cfg.syslog):
            return
        status = str(getattr(resp, "status", "") or "").split(None, 1)[0]
        self.access_log.info(
            '- - - "%s %s" %s %s',
            environ.get("REQUEST_METHOD", ""),
            SEALED_PREFIX,
            status,
            getattr(resp, "sent", "-"),
        )


logger_class = SealedAccessLogger
