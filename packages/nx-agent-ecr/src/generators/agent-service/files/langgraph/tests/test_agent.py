"""The framework seams: supervisor selection and routing, and Langfuse tracing configuration."""

import sys
import types
from contextlib import contextmanager

import pytest

from app.agent import BackendUnavailable, Settings, StubSupervisor, load_supervisor, route_by_keywords
from app import tracing as tracing_module
from app.tracing import langfuse_tracing, tracing_status


@pytest.fixture
def no_framework(monkeypatch):
    monkeypatch.setitem(sys.modules, "langgraph.graph", None)
    monkeypatch.setitem(sys.modules, "langchain_aws", None)
    monkeypatch.setitem(sys.modules, "langfuse.langchain", None)


def test_auto_falls_back_to_the_stand_in_when_langgraph_is_missing(no_framework):
    assert isinstance(load_supervisor({"AGENT_BACKEND": "auto"}), StubSupervisor)


def test_asking_for_langgraph_without_the_framework_says_so(no_framework):
    with pytest.raises(BackendUnavailable, match="langgraph"):
        load_supervisor({"AGENT_BACKEND": "langgraph"})


def test_an_unknown_backend_is_refused_listing_the_valid_ones():
    with pytest.raises(ValueError, match="auto, langgraph, stub"):
        Settings.from_env({"AGENT_BACKEND": "crew"})


@pytest.mark.parametrize(
    "prompt, route",
    [("Which table holds sales?", "analyst"), ("Run this SQL", "analyst"), ("Tell me a joke", "assistant"), ("tablet reviews", "assistant")],
)
def test_keyword_routing_sends_data_questions_to_the_analyst(prompt, route):
    assert route_by_keywords(prompt) == route


LANGFUSE_ENV = {"LANGFUSE_BASE_URL": "http://langfuse:3000", "LANGFUSE_PUBLIC_KEY": "pk-lf-1", "LANGFUSE_SECRET_KEY": "sk-lf-1"}


@pytest.fixture
def fake_langfuse(monkeypatch):
    """The Langfuse SDK v5 surface the service uses: Langfuse(...), propagate_attributes(...), langchain.CallbackHandler."""
    seen = {"clients": [], "handlers": [], "sessions": []}

    class Langfuse:
        def __init__(self, *, public_key=None, secret_key=None, base_url=None, **_):
            seen["clients"].append({"public_key": public_key, "secret_key": secret_key, "base_url": base_url})

    @contextmanager
    def propagate_attributes(*, session_id=None, **_):
        seen["sessions"].append(session_id)
        yield

    class CallbackHandler:
        def __init__(self, *, public_key=None, trace_context=None):
            seen["handlers"].append(public_key)

    sdk = types.ModuleType("langfuse")
    sdk.Langfuse, sdk.propagate_attributes = Langfuse, propagate_attributes
    integration = types.ModuleType("langfuse.langchain")
    integration.CallbackHandler = CallbackHandler
    monkeypatch.setitem(sys.modules, "langfuse", sdk)
    monkeypatch.setitem(sys.modules, "langfuse.langchain", integration)
    monkeypatch.setattr(tracing_module, "_clients", {})
    return seen


def test_tracing_needs_the_base_url_and_both_keys_and_names_what_is_missing():
    assert tracing_status({"LANGFUSE_BASE_URL": "http://langfuse:3000"}) == (
        "disabled",
        "not configured (LANGFUSE_PUBLIC_KEY, LANGFUSE_SECRET_KEY unset)",
    )


def test_tracing_is_off_when_the_sdk_is_missing_even_if_configured(no_framework):
    assert tracing_status(LANGFUSE_ENV) == ("disabled", "the langfuse package is not installed")
    assert langfuse_tracing(LANGFUSE_ENV).callbacks == []


def test_tracing_makes_one_client_from_the_environment_and_a_callback_per_run(fake_langfuse):
    first = langfuse_tracing(LANGFUSE_ENV, "s-1")
    langfuse_tracing(LANGFUSE_ENV, "s-2")
    assert tracing_status(LANGFUSE_ENV) == ("langfuse", "http://langfuse:3000")
    assert fake_langfuse["clients"] == [{"public_key": "pk-lf-1", "secret_key": "sk-lf-1", "base_url": "http://langfuse:3000"}]
    assert fake_langfuse["handlers"] == ["pk-lf-1", "pk-lf-1"]
    assert len(first.callbacks) == 1


def test_a_run_with_a_session_is_scoped_to_that_langfuse_session(fake_langfuse):
    with langfuse_tracing(LANGFUSE_ENV, "s-9").scope():
        pass
    with langfuse_tracing(LANGFUSE_ENV).scope():
        pass
    assert fake_langfuse["sessions"] == ["s-9"]


def test_settings_read_region_model_and_cortex_endpoint():
    settings = Settings.from_env({"AWS_REGION": "us-west-2", "BEDROCK_MODEL_ID": "m", "CORTEX_ENDPOINT": "http://cortex:8000/"})
    assert (settings.aws_region, settings.model_id, settings.cortex_endpoint) == ("us-west-2", "m", "http://cortex:8000")
