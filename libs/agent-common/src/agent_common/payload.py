"""Parses an invocation payload and shapes error bodies, without pydantic so it runs on any FastAPI version."""

import json
from dataclasses import dataclass, field
from typing import Any, Dict, Optional

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
    """The one error shape of every service: {"error": {"code": ..., "message": ...}}."""
    return {"error": {"code": code, "message": message}}
