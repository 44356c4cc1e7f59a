import os

# The contract tests never reach a model: the stand-in answers unless a test injects its own agent.
os.environ["AGENT_BACKEND"] = "stub"

import pytest  # noqa: E402
from starlette.testclient import TestClient  # noqa: E402

from app.main import create_app  # noqa: E402


@pytest.fixture
def client():
    return TestClient(create_app())
