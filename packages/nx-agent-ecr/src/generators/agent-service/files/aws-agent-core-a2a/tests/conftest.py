import os

# The contract tests never reach a model: the stand-in answers unless a test injects its own agent.
os.environ["AGENT_BACKEND"] = "stub"
os.environ.pop("AGENTCORE_RUNTIME_URL", None)

import pytest  # noqa: E402
from starlette.testclient import TestClient  # noqa: E402

from app.main import create_app  # noqa: E402


@pytest.fixture
def client():
    with TestClient(create_app()) as test_client:
        yield test_client
