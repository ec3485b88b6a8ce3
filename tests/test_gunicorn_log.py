"""config/gunicorn.py: the web server's access log keeps no address, browser or
query of the sealed channel's requests, and logs the rest as gunicorn does."""

from __future__ import annotations

import datetime as dt
import logging
from types import SimpleNamespace

from gunicorn.config import Config

from config.gunicorn import SealedAccessLogger


def _line(path: str, caplog) -> str:
    cfg = Config()
    cfg.set("accesslog", "-")
    logger = SealedAccessLogger(cfg)
    logger.access_log.propagate = True
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "QUERY_STRING": "lang=bo",
        "REMOTE_ADDR": "203.0.113.77",
        "HTTP_USER_AGENT": "UA-MARKER",
        "HTTP_REFERER": "http://example.org/",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "RAW_URI": f"{path}?lang=bo",
    }
    request = SimpleNamespace(
        headers=[("USER-AGENT", "UA-MARKER")],
        method="POST",
        path=path,
        query="lang=bo",
        uri=f"{path}?lang=bo",
        version=(1, 1),
        remote_addr="203.0.113.77",
    )
    response = SimpleNamespace(
        status="200 OK", sent=512, headers=[], response_length=512
    )
    with caplog.at_level(logging.INFO, logger="gunicorn.access"):
        caplog.clear()
        logger.access(response, request, environ, dt.timedelta(milliseconds=5))
    return "\n".join(record.getMessage() for record in caplog.records)


def test_a_sealed_request_leaves_no_address_browser_or_query(caplog):
    line = _line("/discipline/report/dl/", caplog)
    assert "/discipline/" in line and "200" in line
    for trace in ("203.0.113.77", "UA-MARKER", "lang=bo", "example.org", "dl"):
        assert trace not in line


def test_other_requests_are_logged_as_gunicorn_does(caplog):
    line = _line("/report/", caplog)
    assert "203.0.113.77" in line and "/report/" in line
