"""The supervisor's HTTP contract: GET /health and POST /invoke, checked with the stand-in."""

from fastapi.testclient import TestClient

from app.agent import BackendUnavailable
from app.main import create_app


class FailingSupervisor:
    name = "failing"

    def __init__(self, error):
        self.error = error

    def invoke(self, invocation, callbacks):
        raise self.error


def test_health_answers_ok_and_says_tracing_is_off_when_langfuse_is_not_configured(client):
    response = client.get("/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["busy"] is False
    assert body["tracing"] == "disabled"
    assert "LANGFUSE_BASE_URL" in body["tracing_detail"]


def test_health_never_shows_the_langfuse_keys():
    env = {"LANGFUSE_BASE_URL": "http://langfuse:3000", "LANGFUSE_PUBLIC_KEY": "pk-lf-visible", "LANGFUSE_SECRET_KEY": "sk-lf-hidden", "AGENT_BACKEND": "stub"}
    response = TestClient(create_app(env=env)).get("/health")
    assert "sk-lf-hidden" not in response.text
    assert "pk-lf-visible" not in response.text


def test_invoke_routes_a_data_question_to_the_analyst(client):
    response = client.post("/invoke", json={"prompt": "Total revenue by region?", "session_id": "s-9"})
    assert response.status_code == 200
    assert response.json() == {"output": "[stub analyst] Total revenue by region?", "route": "analyst", "backend": "stub", "session_id": "s-9"}


def test_invoke_routes_anything_else_to_the_assistant(client):
    body = client.post("/invoke", json={"prompt": "Write a haiku"}).json()
    assert body["route"] == "assistant"
    assert body["session_id"] is None


def test_invoke_rejects_a_body_that_is_not_json_with_400(client):
    response = client.post("/invoke", content=b"prompt=hi", headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_json"


def test_invoke_rejects_an_empty_prompt_with_400(client):
    response = client.post("/invoke", json={"prompt": ""})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_payload"


def test_a_supervisor_failure_is_a_500_without_internal_details():
    client = TestClient(create_app(supervisor=FailingSupervisor(RuntimeError("secret stack detail"))))
    response = client.post("/invoke", json={"prompt": "hi"})
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "agent_error"
    assert "secret stack detail" not in response.text


def test_a_backend_that_cannot_run_here_is_a_503_saying_why():
    client = TestClient(create_app(supervisor=FailingSupervisor(BackendUnavailable("langgraph is not installed"))))
    response = client.post("/invoke", json={"prompt": "hi"})
    assert response.status_code == 503
    assert response.json()["error"]["message"] == "langgraph is not installed"
