"""Helpers every agent service shares: one payload contract, one error shape, one health signal, one log format."""

from agent_common.health import BusyTracker
from agent_common.log import configure_logging
from agent_common.payload import Invocation, PayloadError, error_body, parse_invocation, validate_invocation

__all__ = ["BusyTracker", "Invocation", "PayloadError", "configure_logging", "error_body", "parse_invocation", "validate_invocation"]
