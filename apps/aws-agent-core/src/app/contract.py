"""The request contract of aws-agent-core: payload parsing, error bodies, busy tracking and JSON logging.

They come from the shared lib agent-common (libs/agent-common), so every service that uses it answers alike.
"""

from agent_common import BusyTracker, Invocation, PayloadError, configure_logging, error_body, parse_invocation, validate_invocation

__all__ = ["BusyTracker", "Invocation", "PayloadError", "configure_logging", "error_body", "parse_invocation", "validate_invocation"]
