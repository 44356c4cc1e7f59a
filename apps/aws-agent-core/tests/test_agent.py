"""The framework seam: backend selection, the stand-in, settings from the environment, supervisor delegation."""

import io
import json
import sys

import pytest

from app import agent as agent_module
from app.agent import BackendUnavailable, Settings, StubAgent, ask_supervisor, load_agent
from app.contract import Invocation


@pytest.fixture
def no_framework(monkeypatch):
    monkeypatch.setitem(sys.modules, agent_module.FRAMEWORK_MODULE, None)  # makes the import fail


def test_auto_falls_back_to_the_stand_in_when_the_framework_is_missing(no_framework):
    assert isinstance(load_agent({"AGENT_BACKEND": "auto"}), StubAgent)


def test_asking_for_strands_without_the_framework_says_so(no_framework):
    with pytest.raises(BackendUnavailable, match="strands-agents"):
        load_agent({"AGENT_BACKEND": "strands"})


def test_stub_is_used_when_selected_even_if_the_framework_exists():
    assert isinstance(load_agent({"AGENT_BACKEND": "stub"}), StubAgent)


def test_an_unknown_backend_is_refused_listing_the_valid_ones():
    with pytest.raises(ValueError, match="auto, strands, stub"):
        Settings.from_env({"AGENT_BACKEND": "gpt"})


def test_settings_come_from_aws_region_and_langgraph_endpoint():
    settings = Settings.from_env({"AWS_REGION": "eu-west-1", "LANGGRAPH_ENDPOINT": "http://langgraph:8001/"})
    assert settings.aws_region == "eu-west-1"
    assert settings.langgraph_endpoint == "http://langgraph:8001"
    assert settings.backend == "auto"


def test_the_stand_in_answers_deterministically():
    assert StubAgent().invoke(Invocation(prompt="hi")) == {"response": "[stub] hi", "backend": "stub"}


def test_ask_supervisor_posts_the_question_to_the_langgraph_invoke_endpoint(monkeypatch):
    seen = {}

    def fake_urlopen(request, timeout):
        seen.update(url=request.full_url, body=json.loads(request.data), method=request.get_method())
        return io.BytesIO(json.dumps({"output": "42"}).encode())

    monkeypatch.setattr(agent_module.urllib.request, "urlopen", fake_urlopen)
    assert ask_supervisor("http://langgraph:8001", "meaning?") == "42"
    assert seen == {"url": "http://langgraph:8001/invoke", "body": {"prompt": "meaning?"}, "method": "POST"}
