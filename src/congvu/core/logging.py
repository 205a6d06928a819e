"""Structured logs: one JSON object per line (issue 13), for journald / any log shipper.

Enabled by `CONGVU_LOG_FORMAT=json` (the production default). Fields: time (ISO, UTC), level, logger,
message, and — when present — exception, the request's method/path/status, and any `extra={...}`
values that are JSON-serialisable.
"""

from __future__ import annotations

import datetime as dt
import json
import logging

_STANDARD = set(vars(logging.LogRecord("x", 0, "", 0, "", (), None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.process,
        }
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "path"):
            entry["request"] = {"method": getattr(request, "method", ""), "path": request.path,
                                "client": request.META.get("REMOTE_ADDR", "")}
        status = getattr(record, "status_code", None)
        if status is not None:
            entry["status"] = status
        for key, value in vars(record).items():
            if key in _STANDARD or key in ("request", "status_code") or key.startswith("_"):
                continue
            try:
                json.dumps(value)
            except (TypeError, ValueError):
                value = repr(value)
            entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)
