"""The one module that knows what serves <%= name %>'s A2A endpoint: the A2A SDK (1.x) inside bedrock-agentcore's
build_a2a_app, which adds AgentCore's /ping and session headers.

When the packages are installed (requirements.txt, every online image) they are the real ones. Without them (the
tests on Debian's Python, images built with OFFLINE=true) a stand-in with the same surface serves the same contract.
"""

try:
    from a2a.helpers import new_text_message
    from a2a.server.agent_execution import AgentExecutor, RequestContext
    from a2a.server.events import EventQueue
    from a2a.types import AgentCapabilities, AgentCard, AgentInterface, AgentSkill
    from a2a.utils.errors import UnsupportedOperationError
    from bedrock_agentcore.runtime import PingStatus, build_a2a_app

    RUNTIME = "a2a-sdk"
except ImportError:  # the SDKs are not installed: serve the same contract with the stand-in
    from app.a2a_standin import (
        AgentCapabilities,
        AgentCard,
        AgentExecutor,
        AgentInterface,
        AgentSkill,
        EventQueue,
        PingStatus,
        RequestContext,
        UnsupportedOperationError,
        build_a2a_app,
        new_text_message,
    )

    RUNTIME = "stand-in"

__all__ = [
    "RUNTIME",
    "AgentCapabilities",
    "AgentCard",
    "AgentExecutor",
    "AgentInterface",
    "AgentSkill",
    "EventQueue",
    "PingStatus",
    "RequestContext",
    "UnsupportedOperationError",
    "build_a2a_app",
    "new_text_message",
]
