"""AgentCore Runtime A2A contract: the agent card at /.well-known/agent-card.json, JSON-RPC 2.0 at /, GET /ping.

The same tests pass on the A2A SDK inside bedrock-agentcore's build_a2a_app (PYTHON=<venv with requirements.txt>)
and on their stand-in (Debian's Python): they speak A2A over HTTP as another agent does.
"""

import threading

from starlette.testclient import TestClient

from app.agent import BackendUnavailable
from app.main import create_app

HEADERS = {"A2A-Version": "1.0"}


def send(client, text, request_id=1):
    message = {"messageId": "m-%s" % request_id, "role": "ROLE_USER", "parts": [{"text": text}]}
    return client.post("/", json={"jsonrpc": "2.0", "id": request_id, "method": "SendMessage", "params": {"message": message}}, headers=HEADERS)


def reply_text(response):
    assert response.status_code == 200
    message = response.json()["result"]["message"]
    assert message["role"] == "ROLE_AGENT"
    return message["parts"][0]["text"]


class FailingAgent:
    def __init__(self, error):
        self.error = error

    def invoke(self, invocation):
        raise self.error


def test_the_agent_card_names_the_agent_its_skill_and_its_json_rpc_url(client):
    response = client.get("/.well-known/agent-card.json")
    assert response.status_code == 200
    card = response.json()
    assert card["name"] == "<%= name %>"
    assert [skill["id"] for skill in card["skills"]] == ["ask"]
    assert card["supportedInterfaces"][0] == {"url": "http://localhost:<%= port %>/", "protocolBinding": "JSONRPC", "protocolVersion": "1.0"}


def test_the_card_advertises_agentcores_runtime_url_when_it_is_set(monkeypatch):
    monkeypatch.setenv("AGENTCORE_RUNTIME_URL", "https://bedrock-agentcore.eu-west-1.amazonaws.com/runtimes/x/invocations/")
    with TestClient(create_app()) as client:
        card = client.get("/.well-known/agent-card.json").json()
    assert card["supportedInterfaces"][0]["url"] == "https://bedrock-agentcore.eu-west-1.amazonaws.com/runtimes/x/invocations/"


def test_send_message_answers_with_the_agents_message(client):
    assert reply_text(send(client, "What is 2+2?")) == "[stub] What is 2+2?"


def test_an_empty_message_is_answered_with_what_to_fix(client):
    assert "\"prompt\" is required" in reply_text(send(client, " "))


def test_an_unknown_method_is_json_rpc_error_32601(client):
    response = client.post("/", json={"jsonrpc": "2.0", "id": 7, "method": "NoSuchMethod", "params": {}}, headers=HEADERS)
    assert response.json()["error"]["code"] == -32601
    assert response.json()["id"] == 7


def test_a_body_that_is_not_json_is_json_rpc_error_32700(client):
    response = client.post("/", content=b"{nope", headers={**HEADERS, "Content-Type": "application/json"})
    assert response.json()["error"]["code"] == -32700


def test_an_agent_failure_is_answered_without_internal_details():
    with TestClient(create_app(agent=FailingAgent(RuntimeError("model timeout at 10.0.0.7")))) as client:
        text = reply_text(send(client, "hi"))
    assert "10.0.0.7" not in text
    assert "failed to answer" in text


def test_a_backend_that_cannot_run_here_says_why():
    with TestClient(create_app(agent=FailingAgent(BackendUnavailable("strands-agents is not installed")))) as client:
        assert reply_text(send(client, "hi")) == "strands-agents is not installed"


def test_ping_answers_healthy_when_idle_and_healthy_busy_while_a_message_is_answered():
    entered, release = threading.Event(), threading.Event()

    class BlockingAgent:
        def invoke(self, invocation):
            entered.set()
            release.wait(timeout=10)
            return {"response": "done", "backend": "blocking"}

    with TestClient(create_app(agent=BlockingAgent())) as client:
        assert client.get("/ping").json() == {"status": "Healthy"}
        worker = threading.Thread(target=lambda: send(client, "slow"))
        worker.start()
        try:
            assert entered.wait(timeout=10)
            assert client.get("/ping").json() == {"status": "HealthyBusy"}
        finally:
            release.set()
            worker.join(timeout=10)
        assert client.get("/ping").json() == {"status": "Healthy"}
