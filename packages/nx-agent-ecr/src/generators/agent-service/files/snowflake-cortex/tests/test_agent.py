"""The Snowflake seam: credentials only from the environment, backend selection, the Cortex query."""

import sys
import types

import pytest

from app.agent import BackendUnavailable, CortexAnalyst, Settings, StubAnalyst, load_analyst
from app.contract import Invocation

CREDENTIALS = {"SNOWFLAKE_ACCOUNT": "xy12345", "SNOWFLAKE_USER": "svc_agent", "SNOWFLAKE_PASSWORD": "hunter2"}


@pytest.fixture
def no_connector(monkeypatch):
    monkeypatch.setitem(sys.modules, "snowflake.connector", None)


def test_settings_never_show_the_secret_in_their_repr():
    settings = Settings.from_env(CREDENTIALS)
    assert settings.secret == "hunter2"
    assert "hunter2" not in repr(settings)


def test_a_programmatic_access_token_is_preferred_over_a_password():
    assert Settings.from_env({**CREDENTIALS, "SNOWFLAKE_PAT": "pat"}).secret == "pat"


def test_missing_credentials_are_named():
    assert Settings.from_env({"SNOWFLAKE_ACCOUNT": "a"}).missing_credentials() == ["SNOWFLAKE_USER", "SNOWFLAKE_PASSWORD or SNOWFLAKE_PAT"]


def test_asking_for_cortex_without_connector_or_credentials_says_both(no_connector):
    with pytest.raises(BackendUnavailable, match="not installed.*SNOWFLAKE_ACCOUNT, SNOWFLAKE_USER"):
        load_analyst({"AGENT_BACKEND": "cortex"})


def test_auto_falls_back_to_the_stand_in_when_cortex_cannot_run(no_connector):
    assert isinstance(load_analyst({**CREDENTIALS, "AGENT_BACKEND": "auto"}), StubAnalyst)


def test_an_unknown_backend_is_refused_listing_the_valid_ones():
    with pytest.raises(ValueError, match="auto, cortex, stub"):
        Settings.from_env({"AGENT_BACKEND": "openai"})


def test_cortex_runs_complete_with_the_model_and_prompt_as_bind_parameters(monkeypatch):
    calls = {}

    class Cursor:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def execute(self, sql, params):
            calls.update(sql=sql, params=params)

        def fetchone(self):
            return ("42",)

    class Connection(Cursor):
        def cursor(self):
            return Cursor()

    def connect(**kwargs):
        calls["connect"] = kwargs
        return Connection()

    fake = types.ModuleType("snowflake.connector")
    fake.connect = connect
    monkeypatch.setitem(sys.modules, "snowflake.connector", fake)
    settings = Settings.from_env({**CREDENTIALS, "CORTEX_MODEL": "llama3.1-70b"})
    answer = CortexAnalyst(settings).invoke(Invocation(prompt="'; DROP TABLE x; --"))
    assert answer == {"output": "42", "backend": "cortex", "model": "llama3.1-70b"}
    assert calls["sql"] == "SELECT SNOWFLAKE.CORTEX.COMPLETE(%s, %s)"
    assert calls["params"] == ("llama3.1-70b", "'; DROP TABLE x; --")
    assert calls["connect"]["password"] == "hunter2"
    assert "token" not in calls["connect"]


def test_a_programmatic_access_token_connects_with_the_pat_authenticator(monkeypatch):
    seen = {}

    def connect(**kwargs):
        seen.update(kwargs)
        raise RuntimeError("stop after connect")

    fake = types.ModuleType("snowflake.connector")
    fake.connect = connect
    monkeypatch.setitem(sys.modules, "snowflake.connector", fake)
    with pytest.raises(RuntimeError, match="stop after connect"):
        CortexAnalyst(Settings.from_env({**CREDENTIALS, "SNOWFLAKE_PAT": "pat-1"})).invoke(Invocation(prompt="hi"))
    assert (seen["authenticator"], seen["token"]) == ("PROGRAMMATIC_ACCESS_TOKEN", "pat-1")
    assert "password" not in seen
