"""AgentCore Runtime MCP contract: stateless streamable HTTP at POST /mcp, JSON answers, the tool "ask", GET /ping.

The same tests pass on the MCP SDK's MCPServer (PYTHON=<venv with requirements.txt>) and on its stand-in (Debian's
Python): they speak MCP over HTTP as a client (and AgentCore) does, without a session.
"""

import threading

from starlette.testclient import TestClient

from app.agent import BackendUnavailable
from app.main import create_app

HEADERS = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json", "MCP-Protocol-Version": "2025-06-18"}


def rpc(client, method, params=None, request_id=1, headers=HEADERS):
    message = {"jsonrpc": "2.0", "id": request_id, "method": method, **({"params": params} if params is not None else {})}
    return client.post("/mcp", json=message, headers=headers)


def ask(client, **arguments):
    response = rpc(client, "tools/call", {"name": "ask", "arguments": arguments})
    assert response.status_code == 200
    return response.json()["result"]


class FailingAgent:
    name = "failing"

    def __init__(self, error):
        self.error = error

    def invoke(self, invocation):
        raise self.error


def test_initialize_answers_as_json_without_requiring_a_session(client):
    response = rpc(client, "initialize", {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "contract-test", "version": "1"}})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    result = response.json()["result"]
    assert result["protocolVersion"] == "2025-06-18"
    assert result["serverInfo"]["name"] == "<%= name %>"
    assert "tools" in result["capabilities"]


def test_tools_list_offers_ask_with_a_required_prompt(client):
    (tool,) = [t for t in rpc(client, "tools/list").json()["result"]["tools"] if t["name"] == "ask"]
    assert tool["inputSchema"]["required"] == ["prompt"]
    assert set(tool["inputSchema"]["properties"]) == {"prompt", "session_id"}


def test_each_request_stands_alone_so_a_platform_session_id_is_accepted(client):
    # AgentCore adds Mcp-Session-Id; a stateless server must not reject it.
    response = rpc(client, "tools/list", headers={**HEADERS, "Mcp-Session-Id": "platform-generated-id"})
    assert response.status_code == 200


def test_ask_returns_the_agents_answer_as_text(client):
    result = ask(client, prompt="What is 2+2?")
    assert result.get("isError") is False
    assert result["content"] == [{"type": "text", "text": "[stub] What is 2+2?"}]


def test_ask_with_an_empty_prompt_is_a_tool_error_saying_what_to_fix(client):
    result = ask(client, prompt=" ")
    assert result["isError"] is True
    assert "\"prompt\" is required" in result["content"][0]["text"]


def test_an_agent_failure_is_a_tool_error_without_internal_details():
    with TestClient(create_app(agent=FailingAgent(RuntimeError("model timeout at 10.0.0.7")))) as client:
        result = ask(client, prompt="hi")
    assert result["isError"] is True
    assert "10.0.0.7" not in result["content"][0]["text"]


def test_a_backend_that_cannot_run_here_is_a_tool_error_saying_why():
    with TestClient(create_app(agent=FailingAgent(BackendUnavailable("strands-agents is not installed")))) as client:
        result = ask(client, prompt="hi")
    assert result["isError"] is True
    assert "strands-agents is not installed" in result["content"][0]["text"]


def test_a_client_that_does_not_accept_both_json_and_event_stream_is_refused_with_406(client):
    assert rpc(client, "tools/list", headers={**HEADERS, "Accept": "application/json"}).status_code == 406


def test_a_notification_is_accepted_with_202(client):
    response = client.post("/mcp", json={"jsonrpc": "2.0", "method": "notifications/initialized"}, headers=HEADERS)
    assert response.status_code == 202


def test_ping_answers_healthy_for_the_health_check(client):
    response = client.get("/ping")
    assert response.status_code == 200
    assert response.json() == {"status": "Healthy"}


def test_the_agent_runs_off_the_event_loop_so_ping_answers_while_it_thinks():
    entered, release = threading.Event(), threading.Event()

    class BlockingAgent:
        def invoke(self, invocation):
            entered.set()
            release.wait(timeout=10)
            return {"response": "done", "backend": "blocking"}

    with TestClient(create_app(agent=BlockingAgent())) as client:
        worker = threading.Thread(target=lambda: ask(client, prompt="slow"))
        worker.start()
        try:
            assert entered.wait(timeout=10)
            assert client.get("/ping").status_code == 200
        finally:
            release.set()
            worker.join(timeout=10)
