"""The one module that knows LangGraph: a supervisor graph that routes each request to a worker.

Workers: "analyst" for data questions (the Snowflake Cortex service at CORTEX_ENDPOINT when set) and
"assistant" for everything else (a Bedrock model in AWS_REGION). AGENT_BACKEND picks the implementation:
  langgraph  the real graph (LangGraph 1.x StateGraph; needs the langgraph and langchain-aws packages);
  stub       a deterministic stand-in for tests and images built with OFFLINE=true;
  auto       (default) langgraph when importable, otherwise the stand-in, with a warning.
"""

import importlib
import json
import logging
import os
import re
import urllib.request
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional, TypedDict

from app.contract import Invocation

log = logging.getLogger(__name__)
BACKENDS = ("auto", "langgraph", "stub")
FRAMEWORK_MODULES = ("langgraph.graph", "langchain_aws")
ROUTES = ("analyst", "assistant")
DATA_WORDS = re.compile(r"\b(sql|table|tables|warehouse|revenue|sales|query|snowflake|metric|metrics)\b", re.I)


class SupervisorState(TypedDict, total=False):
    """The graph's state: each node returns the keys it sets."""

    prompt: str
    route: str
    output: str


class BackendUnavailable(RuntimeError):
    """The selected backend cannot run here (framework not installed)."""


@dataclass(frozen=True)
class Settings:
    backend: str
    aws_region: Optional[str]
    model_id: str
    cortex_endpoint: Optional[str]

    @staticmethod
    def from_env(env: Mapping[str, str]) -> "Settings":
        backend = env.get("AGENT_BACKEND", "auto").strip().lower() or "auto"
        if backend not in BACKENDS:
            raise ValueError("AGENT_BACKEND=%s is not one of: %s." % (backend, ", ".join(BACKENDS)))
        return Settings(
            backend=backend,
            aws_region=env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION"),
            model_id=env.get("BEDROCK_MODEL_ID", "anthropic.claude-3-5-haiku-20241022-v1:0"),
            cortex_endpoint=(env.get("CORTEX_ENDPOINT") or "").rstrip("/") or None,
        )


def route_by_keywords(prompt: str) -> str:
    """The stand-in's routing rule, also the real supervisor's fallback when the model answers off-list."""
    return "analyst" if DATA_WORDS.search(prompt) else "assistant"


class StubSupervisor:
    name = "stub"

    def invoke(self, invocation: Invocation, callbacks: List[Any]) -> Dict[str, Any]:
        route = route_by_keywords(invocation.prompt)
        return {"output": "[stub %s] %s" % (route, invocation.prompt), "route": route, "backend": self.name}


def ask_service(endpoint: str, prompt: str, timeout: float = 60.0) -> str:
    request = urllib.request.Request(
        endpoint + "/invoke", data=json.dumps({"prompt": prompt}).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return str(json.loads(response.read())["output"])


class LangGraphSupervisor:
    name = "langgraph"

    def __init__(self, settings: Settings) -> None:
        graph = importlib.import_module("langgraph.graph")
        chat = importlib.import_module("langchain_aws").ChatBedrockConverse(model=settings.model_id, region_name=settings.aws_region)

        def supervisor(state: SupervisorState) -> SupervisorState:
            answer = chat.invoke(
                "Reply with exactly one word, analyst (data and SQL questions) or assistant (anything else): " + state["prompt"]
            )
            route = str(answer.content).strip().lower()
            return {"route": route if route in ROUTES else route_by_keywords(state["prompt"])}

        def analyst(state: SupervisorState) -> SupervisorState:
            if settings.cortex_endpoint:
                return {"output": ask_service(settings.cortex_endpoint, state["prompt"])}
            return {"output": str(chat.invoke(state["prompt"]).content)}

        def assistant(state: SupervisorState) -> SupervisorState:
            return {"output": str(chat.invoke(state["prompt"]).content)}

        builder = graph.StateGraph(SupervisorState)
        builder.add_node("supervisor", supervisor)
        builder.add_node("analyst", analyst)
        builder.add_node("assistant", assistant)
        builder.add_edge(graph.START, "supervisor")
        builder.add_conditional_edges("supervisor", lambda state: state["route"], {r: r for r in ROUTES})
        builder.add_edge("analyst", graph.END)
        builder.add_edge("assistant", graph.END)
        self._graph = builder.compile()

    def invoke(self, invocation: Invocation, callbacks: List[Any]) -> Dict[str, Any]:
        state = self._graph.invoke(SupervisorState(prompt=invocation.prompt), config={"callbacks": callbacks})
        return {"output": state["output"], "route": state["route"], "backend": self.name}


def framework_available() -> bool:
    try:
        for module in FRAMEWORK_MODULES:
            importlib.import_module(module)
        return True
    except ImportError:
        return False


def load_supervisor(env: Optional[Mapping[str, str]] = None):
    settings = Settings.from_env(os.environ if env is None else env)
    if settings.backend == "stub":
        return StubSupervisor()
    if not framework_available():
        if settings.backend == "langgraph":
            raise BackendUnavailable("AGENT_BACKEND=langgraph but langgraph/langchain-aws are not installed in this image.")
        log.warning("langgraph is not installed: answering with the stand-in supervisor (AGENT_BACKEND=auto)")
        return StubSupervisor()
    return LangGraphSupervisor(settings)
