"""MCP face of <%= name %>: AgentCore Runtime's MCP protocol on port <%= port %>, stateless streamable HTTP.

  POST /mcp   MCP JSON-RPC (initialize, tools/list, tools/call); the tool "ask" hands a prompt to the agent
  GET  /ping  {"status": "Healthy"} for the image's health check
"""

import threading
from typing import Optional

import anyio
from starlette.responses import JSONResponse

from app.agent import BackendUnavailable, load_agent
from app.contract import PayloadError, configure_logging, validate_invocation
from app.mcp_server import MCPServer

SERVICE = "<%= name %>"


def create_server(agent=None) -> MCPServer:
    log = configure_logging(SERVICE)
    server = MCPServer(name=SERVICE, instructions="<%= description %>. Call the tool ask with a prompt.")
    lock = threading.Lock()
    loaded = {"agent": agent}

    def get_agent():
        # Loaded on first use, not at import: the framework is slow to import and /ping must answer at once.
        with lock:
            if loaded["agent"] is None:
                loaded["agent"] = load_agent()
            return loaded["agent"]

    def answer(prompt: str, session_id: Optional[str]) -> str:
        try:
            invocation = validate_invocation({"prompt": prompt, "session_id": session_id})
            return str(get_agent().invoke(invocation)["response"])
        except (PayloadError, BackendUnavailable):
            raise  # their message says what to fix; MCP returns it as an isError result
        except Exception:
            log.exception("ask failed")
            raise RuntimeError("The agent failed to answer; see the service log.") from None

    @server.tool(name="ask", description="Ask the <%= name %> agent; it answers in text.", structured_output=False)
    async def ask(prompt: str, session_id: Optional[str] = None) -> str:
        # In a worker thread: the agent blocks while it thinks, the event loop must not.
        return await anyio.to_thread.run_sync(answer, prompt, session_id)

    @server.custom_route("/ping", methods=["GET"])
    async def ping(request) -> JSONResponse:
        return JSONResponse({"status": "Healthy"})

    return server


def create_app(agent=None):
    # AgentCore's MCP contract: stateless (the platform adds Mcp-Session-Id, every request stands alone), JSON answers.
    # host="0.0.0.0": reached through the container's published port, so localhost-only Host checks must be off.
    return create_server(agent).streamable_http_app(stateless_http=True, json_response=True, host="0.0.0.0")


app = create_app()
