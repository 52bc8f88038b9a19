"""Structured logs: one JSON object a line, with the request's id, and nothing personal.

`settings.LOGGING` uses `JsonFormatter` when `LOG_FORMAT=json` (the default when deployed). Every record carries the
id of the request it was written in (`request_id`, set by `core.edge`); outside a request it has none. The formatter
masks, as a last line of defence, what must never be in a log whatever a caller wrote: an eleven-digit number (a
fødselsnummer or D-number: `010190*****`, as the code masks them itself) and the value of a bearer token, session or
CSRF cookie. Names cannot be recognised in free text; the code logs keys, never names, and the request log carries
the route's name, never the path or its query string (tests/test_serving_logs.py greps a run for all of these).
"""

import json
import logging
import re
from contextvars import ContextVar
from datetime import UTC, datetime

# The id of the request being served in this thread (`core.edge` sets and resets it).
request_id: ContextVar[str] = ContextVar("request_id", default="")

ELEVEN_DIGITS = re.compile(r"(?<!\d)(\d{6})\d{5}(?!\d)")
SECRETS = re.compile(
    r"(?i)(bearer\s+|(?:session|csrftoken|sessionid|access_token|refresh_token|id_token|code)[\"']?\s*[=:]\s*[\"']?)"
    r"[A-Za-z0-9._~+/=-]{8,}"
)
# The record's own attributes; anything else a caller passed in `extra=` is written as a field.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id"}


def scrub(text: str) -> str:
    """`text` with eleven-digit numbers masked after the birth date and token values replaced by `…`."""
    return SECRETS.sub(r"\1…", ELEVEN_DIGITS.sub(r"\1*****", text))


class RequestIdFilter(logging.Filter):
    """Give every record the id of the request it was written in ("" outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC, ISO 8601), level, logger, message, request_id, the caller's `extra`
    fields of plain types and the exception's text, each scrubbed."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": scrub(record.getMessage()),
            "request_id": getattr(record, "request_id", "") or request_id.get(),
        }
        for key, value in vars(record).items():
            # Plain values only: Django's `django.request` passes the request, whose repr has the query string.
            if key not in _STANDARD and not key.startswith("_") and isinstance(value, str | int | float | bool):
                entry[key] = scrub(value) if isinstance(value, str) else value
        if record.exc_info:
            entry["exception"] = scrub(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False, default=str)


class PlainFormatter(logging.Formatter):
    """`LEVEL logger message`, scrubbed like the JSON one (`LOG_FORMAT=plain`, the default in development)."""

    def format(self, record: logging.LogRecord) -> str:
        return scrub(super().format(record))
