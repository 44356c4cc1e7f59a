"""The framework seams: supervisor selection and routing, and Langfuse tracing configuration."""

import sys

import pytest

from app.agent import BackendUnavailable, Settings, StubSupervisor, load_supervisor, route_by_keywords
from app.tracing import langfuse_callbacks, tracing_status


@pytest.fixture
def no_framework(monkeypatch):
    monkeypatch.setitem(sys.modules, "langgraph.graph", None)
    monkeypatch.setitem(sys.modules, "langchain_aws", None)
    monkeypatch.setitem(sys.modules, "langfuse.callback", None)


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


def test_tracing_needs_host_and_both_keys_and_names_what_is_missing():
    assert tracing_status({"LANGFUSE_HOST": "http://langfuse:3000"}) == (
        "disabled",
        "not configured (LANGFUSE_PUBLIC_KEY, LANGFUSE_SECRET_KEY unset)",
    )


def test_tracing_is_off_when_the_sdk_is_missing_even_if_configured(no_framework):
    env = {"LANGFUSE_HOST": "http://langfuse:3000", "LANGFUSE_PUBLIC_KEY": "pk", "LANGFUSE_SECRET_KEY": "sk"}
    assert tracing_status(env) == ("disabled", "the langfuse package is not installed")
    assert langfuse_callbacks(env) == []


def test_settings_read_region_model_and_cortex_endpoint():
    settings = Settings.from_env({"AWS_REGION": "us-west-2", "BEDROCK_MODEL_ID": "m", "CORTEX_ENDPOINT": "http://cortex:8000/"})
    assert (settings.aws_region, settings.model_id, settings.cortex_endpoint) == ("us-west-2", "m", "http://cortex:8000")
