"""The one module that knows the agent framework (Strands Agents); the HTTP layer only sees `invoke()`.

AGENT_BACKEND picks the implementation:
  strands  the Strands agent on Amazon Bedrock in AWS_REGION (needs the strands-agents package);
  stub     a deterministic stand-in for tests and images built with OFFLINE=true;
  auto     (default) strands when the package is importable, otherwise the stand-in, with a warning.
"""

import importlib
import json
import logging
import os
import urllib.request
from dataclasses import dataclass
from typing import Any, Dict, Mapping, Optional

from app.contract import Invocation

log = logging.getLogger(__name__)
BACKENDS = ("auto", "strands", "stub")
FRAMEWORK_MODULE = "strands"
AGENT_NAME = "<%= name %>"
AGENT_DESCRIPTION = "<%= description %>"


class BackendUnavailable(RuntimeError):
    """The selected backend cannot run here (framework not installed)."""


@dataclass(frozen=True)
class Settings:
    backend: str
    aws_region: Optional[str]
    langgraph_endpoint: Optional[str]
    model_id: Optional[str]

    @staticmethod
    def from_env(env: Mapping[str, str]) -> "Settings":
        backend = env.get("AGENT_BACKEND", "auto").strip().lower() or "auto"
        if backend not in BACKENDS:
            raise ValueError("AGENT_BACKEND=%s is not one of: %s." % (backend, ", ".join(BACKENDS)))
        return Settings(
            backend=backend,
            aws_region=env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION"),
            langgraph_endpoint=(env.get("LANGGRAPH_ENDPOINT") or "").rstrip("/") or None,
            model_id=env.get("BEDROCK_MODEL_ID") or None,
        )


class StubAgent:
    """Answers without a model: the contract can be exercised with no network and no credentials."""

    name = "stub"

    def invoke(self, invocation: Invocation) -> Dict[str, Any]:
        return {"response": "[stub] %s" % invocation.prompt, "backend": self.name}


def ask_supervisor(endpoint: str, question: str, timeout: float = 60.0) -> str:
    """Delegates a question to the LangGraph supervisor service (POST <endpoint>/invoke) and returns its answer."""
    request = urllib.request.Request(
        endpoint + "/invoke",
        data=json.dumps({"prompt": question}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return str(json.loads(response.read())["output"])


class StrandsAgent:
    """A Strands agent on Bedrock; with LANGGRAPH_ENDPOINT it can hand work to the LangGraph supervisor."""

    name = "strands"

    def __init__(self, settings: Settings) -> None:
        strands = importlib.import_module(FRAMEWORK_MODULE)
        models = importlib.import_module(FRAMEWORK_MODULE + ".models")
        tools = []
        if settings.langgraph_endpoint:
            endpoint = settings.langgraph_endpoint

            @strands.tool
            def supervisor(question: str) -> str:
                """Ask the LangGraph supervisor, which routes the question to the right worker agent."""
                return ask_supervisor(endpoint, question)

            tools.append(supervisor)
        model_args = {"region_name": settings.aws_region}
        if settings.model_id:
            model_args["model_id"] = settings.model_id
        # callback_handler=None: the service returns the answer; Strands' default handler would print the stream.
        self._agent = strands.Agent(
            model=models.BedrockModel(**model_args),
            tools=tools,
            name=AGENT_NAME,
            description=AGENT_DESCRIPTION,
            callback_handler=None,
        )

    def invoke(self, invocation: Invocation) -> Dict[str, Any]:
        return {"response": str(self._agent(invocation.prompt)), "backend": self.name}


def framework_available() -> bool:
    try:
        importlib.import_module(FRAMEWORK_MODULE)
        return True
    except ImportError:
        return False


def load_agent(env: Optional[Mapping[str, str]] = None):
    settings = Settings.from_env(os.environ if env is None else env)
    if settings.backend == "stub":
        return StubAgent()
    if not framework_available():
        if settings.backend == "strands":
            raise BackendUnavailable("AGENT_BACKEND=strands but the strands-agents package is not installed in this image.")
        log.warning("strands-agents is not installed: answering with the stand-in agent (AGENT_BACKEND=auto)")
        return StubAgent()
    return StrandsAgent(settings)
