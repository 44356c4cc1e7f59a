import os

# The contract tests never reach a model: the stand-in answers unless a test injects its own supervisor.
os.environ["AGENT_BACKEND"] = "stub"
for name in ("LANGFUSE_BASE_URL", "LANGFUSE_PUBLIC_KEY", "LANGFUSE_SECRET_KEY"):
    os.environ.pop(name, None)

import pytest  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402

from app.main import create_app  # noqa: E402


@pytest.fixture
def client():
    return TestClient(create_app())
