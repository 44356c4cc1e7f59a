"""AgentCore Runtime HTTP contract: GET /ping and POST /invocations, over HTTP with the stand-in agent.

The same tests pass on bedrock-agentcore's BedrockAgentCoreApp (PYTHON=<venv with requirements.txt>) and on its
stand-in (Debian's Python): they check the contract, not the implementation.
"""

import threading

from starlette.testclient import TestClient

from app.agent import BackendUnavailable
from app.main import create_app


class BlockingAgent:
    name = "blocking"

    def __init__(self):
        self.entered = threading.Event()
        self.release = threading.Event()

    def invoke(self, invocation):
        self.entered.set()
        self.release.wait(timeout=10)
        return {"response": "done", "backend": self.name}


class FailingAgent:
    name = "failing"

    def __init__(self, error):
        self.error = error

    def invoke(self, invocation):
        raise self.error


def test_ping_answers_healthy_when_idle(client):
    response = client.get("/ping")
    assert response.status_code == 200
    assert response.json()["status"] == "Healthy"
    assert isinstance(response.json()["time_of_last_update"], int)


def test_ping_answers_healthy_busy_while_an_invocation_runs():
    agent = BlockingAgent()
    client = TestClient(create_app(agent=agent))
    results = []
    worker = threading.Thread(target=lambda: results.append(client.post("/invocations", json={"prompt": "slow"})))
    worker.start()
    try:
        assert agent.entered.wait(timeout=10)
        assert client.get("/ping").json()["status"] == "HealthyBusy"
    finally:
        agent.release.set()
        worker.join(timeout=10)
    assert results[0].status_code == 200
    assert client.get("/ping").json()["status"] == "Healthy"


def test_invocations_returns_the_agents_answer_with_the_session(client):
    response = client.post("/invocations", json={"prompt": "What is 2+2?", "session_id": "s-1"})
    assert response.status_code == 200
    assert response.json() == {"response": "[stub] What is 2+2?", "backend": "stub", "session_id": "s-1"}


def test_invocations_rejects_a_body_that_is_not_json_with_400_as_the_sdk_words_it(client):
    response = client.post("/invocations", content=b"{nope", headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json()["error"] == "Invalid JSON"


def test_invocations_rejects_a_json_body_that_is_not_an_object_with_400(client):
    response = client.post("/invocations", json=["prompt"])
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_payload"


def test_the_session_comes_from_agentcores_header_when_the_payload_has_none(client):
    response = client.post("/invocations", json={"prompt": "hi"}, headers={"X-Amzn-Bedrock-AgentCore-Runtime-Session-Id": "rt-42"})
    assert response.json()["session_id"] == "rt-42"


def test_invocations_rejects_a_payload_without_a_prompt_with_400(client):
    response = client.post("/invocations", json={"input": "hi"})
    assert response.status_code == 400
    assert response.json()["error"] == {"code": "invalid_payload", "message": "\"prompt\" is required and must be a non-empty string."}


def test_an_agent_failure_is_a_500_in_the_error_shape_and_the_service_stays_healthy():
    client = TestClient(create_app(agent=FailingAgent(RuntimeError("model timeout"))))
    response = client.post("/invocations", json={"prompt": "hi"})
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "agent_error"
    assert "model timeout" not in response.text
    assert client.get("/ping").json()["status"] == "Healthy"


def test_a_backend_that_cannot_run_here_is_a_503_saying_why():
    client = TestClient(create_app(agent=FailingAgent(BackendUnavailable("strands-agents is not installed"))))
    response = client.post("/invocations", json={"prompt": "hi"})
    assert response.status_code == 503
    assert response.json()["error"] == {"code": "backend_unavailable", "message": "strands-agents is not installed"}


def test_only_post_is_accepted_on_invocations(client):
    assert client.get("/invocations").status_code == 405
