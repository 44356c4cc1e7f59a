<% if (usesAgentCommon) { -%>
"""The request contract of <%= name %>: payload parsing, error bodies, busy tracking and JSON logging.

They come from the shared lib agent-common (libs/agent-common), so every service that uses it answers alike.
"""

from agent_common import BusyTracker, Invocation, PayloadError, configure_logging, error_body, parse_invocation, validate_invocation
<% } else { -%>
"""The request contract of <%= name %>: payload parsing, error bodies, busy tracking and JSON logging.

Generate a service with --libs=agent-common to share these helpers through libs/agent-common instead.
"""

import json
import logging
import os
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Dict, Iterator, Optional

MAX_PROMPT_CHARS = 32_000


class PayloadError(ValueError):
    """A payload the service cannot accept; `code` is stable for clients, `message` says what to fix."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Invocation:
    prompt: str
    session_id: Optional[str] = None
    metadata: Dict[str, Any] = field(default_factory=dict)


def parse_invocation(raw: bytes, max_prompt_chars: int = MAX_PROMPT_CHARS) -> Invocation:
    """Returns the invocation in `raw` (a JSON object with a "prompt"), or raises PayloadError."""
    try:
        body = json.loads(raw.decode("utf-8") if raw else "")
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise PayloadError("invalid_json", "The request body must be a JSON object, e.g. {\"prompt\": \"Hello\"}.") from None
    return validate_invocation(body, max_prompt_chars)


def validate_invocation(body: Any, max_prompt_chars: int = MAX_PROMPT_CHARS) -> Invocation:
    """Returns the invocation in an already decoded JSON `body`, or raises PayloadError."""
    if not isinstance(body, dict):
        raise PayloadError("invalid_payload", "The request body must be a JSON object, not a %s." % type(body).__name__)
    prompt = body.get("prompt")
    if not isinstance(prompt, str) or not prompt.strip():
        raise PayloadError("invalid_payload", "\"prompt\" is required and must be a non-empty string.")
    if len(prompt) > max_prompt_chars:
        raise PayloadError("invalid_payload", "\"prompt\" has %d characters; the limit is %d." % (len(prompt), max_prompt_chars))
    session_id = body.get("session_id", body.get("sessionId"))
    if session_id is not None and not isinstance(session_id, str):
        raise PayloadError("invalid_payload", "\"session_id\" must be a string when given.")
    metadata = body.get("metadata", {})
    if not isinstance(metadata, dict):
        raise PayloadError("invalid_payload", "\"metadata\" must be a JSON object when given.")
    return Invocation(prompt=prompt, session_id=session_id, metadata=metadata)


def error_body(code: str, message: str) -> Dict[str, Any]:
    """The one error shape: {"error": {"code": ..., "message": ...}}."""
    return {"error": {"code": code, "message": message}}


class BusyTracker:
    """Counts requests in flight: status() is "HealthyBusy" while one runs, else "Healthy"."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._in_flight = 0
        self.last_update = int(time.time())

    def status(self) -> str:
        return "HealthyBusy" if self._in_flight else "Healthy"

    @contextmanager
    def track(self) -> Iterator[None]:
        self._change(+1)
        try:
            yield
        finally:
            self._change(-1)

    def _change(self, delta: int) -> None:
        with self._lock:
            was_busy = self._in_flight > 0
            self._in_flight += delta
            if was_busy != (self._in_flight > 0):
                self.last_update = int(time.time())


class _JsonFormatter(logging.Formatter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self._service = service

    def format(self, record: logging.LogRecord) -> str:
        entry = {"time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"), "level": record.levelname.lower(),
                 "service": self._service, "logger": record.name, "message": record.getMessage()}
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(service: str, level: Optional[str] = None) -> logging.Logger:
    """Sends the root logger's records to stdout as JSON lines; LOG_LEVEL (default INFO) sets the level."""
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(_JsonFormatter(service))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel((level or os.environ.get("LOG_LEVEL", "INFO")).upper())
    return logging.getLogger(service)
<% } -%>

__all__ = ["BusyTracker", "Invocation", "PayloadError", "configure_logging", "error_body", "parse_invocation", "validate_invocation"]
