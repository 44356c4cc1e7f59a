"""The Cortex service's HTTP contract: GET /health and POST /invoke, checked with the stand-in."""

from fastapi.testclient import TestClient

from app.agent import BackendUnavailable
from app.main import create_app

CREDENTIALS = {"SNOWFLAKE_ACCOUNT": "xy12345", "SNOWFLAKE_USER": "svc_agent", "SNOWFLAKE_PAT": "pat-very-secret", "AGENT_BACKEND": "stub"}


class FailingAnalyst:
    name = "failing"

    def __init__(self, error):
        self.error = error

    def invoke(self, invocation):
        raise self.error


def test_health_answers_ok_and_says_snowflake_is_not_configured_without_credentials(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "busy": False, "snowflake": "not configured"}


def test_health_says_configured_without_ever_showing_a_credential():
    response = TestClient(create_app(env=CREDENTIALS)).get("/health")
    assert response.json()["snowflake"] == "configured"
    for value in CREDENTIALS.values():
        if value != "stub":
            assert value not in response.text


def test_invoke_returns_the_answer_with_the_session(client):
    response = client.post("/invoke", json={"prompt": "Top 3 products by revenue", "session_id": "s-3"})
    assert response.status_code == 200
    assert response.json() == {"output": "[stub cortex] Top 3 products by revenue", "backend": "stub", "session_id": "s-3"}


def test_invoke_rejects_a_body_that_is_not_json_with_400(client):
    response = client.post("/invoke", content=b"not json", headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_json"


def test_invoke_rejects_a_prompt_that_is_not_a_string_with_400(client):
    response = client.post("/invoke", json={"prompt": ["a", "b"]})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_payload"


def test_missing_credentials_are_a_503_naming_the_variables_to_set():
    client = TestClient(create_app(analyst=FailingAnalyst(BackendUnavailable("credentials missing from the environment: SNOWFLAKE_USER"))))
    response = client.post("/invoke", json={"prompt": "hi"})
    assert response.status_code == 503
    assert "SNOWFLAKE_USER" in response.json()["error"]["message"]


def test_a_cortex_failure_is_a_500_without_internal_details():
    client = TestClient(create_app(analyst=FailingAnalyst(RuntimeError("250001: could not connect to xy12345"))))
    response = client.post("/invoke", json={"prompt": "hi"})
    assert response.status_code == 500
    assert "xy12345" not in response.text
