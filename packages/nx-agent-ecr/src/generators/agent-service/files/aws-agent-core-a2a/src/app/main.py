"""A2A face of <%= name %>: AgentCore Runtime's A2A protocol on port <%= port %>.

  GET  /.well-known/agent-card.json  the agent card: name, skill "ask", the JSON-RPC URL
  POST /                             A2A JSON-RPC 2.0; SendMessage answers with the agent's message
  GET  /ping                         {"status": "Healthy"}, "HealthyBusy" while a message is being answered
"""

import asyncio
import os
import threading

from app.a2a_runtime import (
    AgentCapabilities,
    AgentCard,
    AgentExecutor,
    AgentInterface,
    AgentSkill,
    PingStatus,
    UnsupportedOperationError,
    build_a2a_app,
    new_text_message,
)
from app.agent import AGENT_DESCRIPTION, AGENT_NAME, BackendUnavailable, load_agent
from app.contract import BusyTracker, PayloadError, configure_logging, validate_invocation

SERVICE = "<%= name %>"
# AgentCore sets AGENTCORE_RUNTIME_URL to the runtime's invocation URL; the card advertises it.
LOCAL_URL = "http://localhost:<%= port %>/"


class AgentCoreExecutor(AgentExecutor):
    """Answers each message with one message from the agent (A2A's "immediate response" flow)."""

    def __init__(self, get_agent, busy: BusyTracker, log) -> None:
        self._get_agent = get_agent
        self._busy = busy
        self._log = log

    async def execute(self, context, event_queue) -> None:
        reply = await asyncio.to_thread(self._answer, context.get_user_input(), context.context_id)
        await event_queue.enqueue_event(new_text_message(reply, context_id=context.context_id))

    async def cancel(self, context, event_queue) -> None:
        raise UnsupportedOperationError("<%= name %> answers at once; there is nothing to cancel.")

    def _answer(self, text: str, context_id) -> str:
        # In a worker thread: the agent blocks while it thinks, the event loop (and /ping) must not.
        try:
            invocation = validate_invocation({"prompt": text, "session_id": context_id})
        except PayloadError as bad:
            return bad.message
        with self._busy.track():
            try:
                return str(self._get_agent().invoke(invocation)["response"])
            except BackendUnavailable as unavailable:
                return str(unavailable)
            except Exception:
                self._log.exception("message failed")
                return "The agent failed to answer; see the service log."


def agent_card(url: str) -> AgentCard:
    return AgentCard(
        name=AGENT_NAME,
        description=AGENT_DESCRIPTION,
        version="1.0.0",
        supported_interfaces=[AgentInterface(url=url, protocol_binding="JSONRPC", protocol_version="1.0")],
        capabilities=AgentCapabilities(streaming=False),
        default_input_modes=["text"],
        default_output_modes=["text"],
        skills=[AgentSkill(id="ask", name="ask", description="Ask the agent; it answers in text.", tags=["agent"])],
    )


def create_app(agent=None):
    log = configure_logging(SERVICE)
    busy = BusyTracker()
    lock = threading.Lock()
    loaded = {"agent": agent}

    def get_agent():
        # Loaded on first use, not at import: the framework is slow to import and /ping must answer at once.
        with lock:
            if loaded["agent"] is None:
                loaded["agent"] = load_agent()
            return loaded["agent"]

    url = os.environ.get("AGENTCORE_RUNTIME_URL") or LOCAL_URL
    return build_a2a_app(
        AgentCoreExecutor(get_agent, busy, log),
        agent_card(url),
        runtime_url=url,
        ping_handler=lambda: PingStatus.HEALTHY_BUSY if busy.status() == "HealthyBusy" else PingStatus.HEALTHY,
    )


app = create_app()
