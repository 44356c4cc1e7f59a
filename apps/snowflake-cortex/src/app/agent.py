"""The one module that knows Snowflake: answers with Cortex (SNOWFLAKE.CORTEX.COMPLETE) over the Python connector.

Credentials come only from the environment (inject them from a secret store: ECS task secrets, AgentCore
environment, Kubernetes secrets), never from a file in the image. AGENT_BACKEND picks the implementation:
  cortex  Snowflake Cortex (needs snowflake-connector-python 5.x and the SNOWFLAKE_* variables);
  stub    a deterministic stand-in for tests and images built with OFFLINE=true;
  auto    (default) cortex when the connector is importable and credentials are set, otherwise the stand-in.
"""

import importlib
import logging
import os
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional

from app.contract import Invocation

log = logging.getLogger(__name__)
BACKENDS = ("auto", "cortex", "stub")
FRAMEWORK_MODULE = "snowflake.connector"
REQUIRED = ("SNOWFLAKE_ACCOUNT", "SNOWFLAKE_USER")
SECRETS = ("SNOWFLAKE_PASSWORD", "SNOWFLAKE_PAT")


class BackendUnavailable(RuntimeError):
    """The selected backend cannot run here (connector not installed or credentials missing)."""


@dataclass(frozen=True)
class Settings:
    backend: str
    account: Optional[str]
    user: Optional[str]
    # repr=False: a logged or printed Settings never shows the secret.
    secret: Optional[str] = field(repr=False)
    uses_pat: bool
    role: Optional[str]
    warehouse: Optional[str]
    model: str

    @staticmethod
    def from_env(env: Mapping[str, str]) -> "Settings":
        backend = env.get("AGENT_BACKEND", "auto").strip().lower() or "auto"
        if backend not in BACKENDS:
            raise ValueError("AGENT_BACKEND=%s is not one of: %s." % (backend, ", ".join(BACKENDS)))
        return Settings(
            backend=backend,
            account=env.get("SNOWFLAKE_ACCOUNT"),
            user=env.get("SNOWFLAKE_USER"),
            secret=env.get("SNOWFLAKE_PAT") or env.get("SNOWFLAKE_PASSWORD"),
            uses_pat=bool(env.get("SNOWFLAKE_PAT")),
            role=env.get("SNOWFLAKE_ROLE"),
            warehouse=env.get("SNOWFLAKE_WAREHOUSE"),
            model=env.get("CORTEX_MODEL", "mistral-large2"),
        )

    def missing_credentials(self) -> List[str]:
        missing = [name for name, value in zip(REQUIRED, (self.account, self.user)) if not value]
        if not self.secret:
            missing.append(" or ".join(SECRETS))
        return missing


class StubAnalyst:
    name = "stub"

    def invoke(self, invocation: Invocation) -> Dict[str, Any]:
        return {"output": "[stub cortex] %s" % invocation.prompt, "backend": self.name}


class CortexAnalyst:
    name = "cortex"

    def __init__(self, settings: Settings) -> None:
        self._connector = importlib.import_module(FRAMEWORK_MODULE)
        self._settings = settings

    def invoke(self, invocation: Invocation) -> Dict[str, Any]:
        s = self._settings
        # connector 5.x: a programmatic access token has its own authenticator; a password is the default one.
        secret = {"authenticator": "PROGRAMMATIC_ACCESS_TOKEN", "token": s.secret} if s.uses_pat else {"password": s.secret}
        with self._connector.connect(account=s.account, user=s.user, role=s.role, warehouse=s.warehouse, **secret) as conn:
            with conn.cursor() as cursor:
                cursor.execute("SELECT SNOWFLAKE.CORTEX.COMPLETE(%s, %s)", (s.model, invocation.prompt))
                (output,) = cursor.fetchone()
        return {"output": output, "backend": self.name, "model": s.model}


def framework_available() -> bool:
    try:
        importlib.import_module(FRAMEWORK_MODULE)
        return True
    except ImportError:
        return False


def load_analyst(env: Optional[Mapping[str, str]] = None):
    settings = Settings.from_env(os.environ if env is None else env)
    if settings.backend == "stub":
        return StubAnalyst()
    problems = []
    if not framework_available():
        problems.append("snowflake-connector-python is not installed")
    missing = settings.missing_credentials()
    if missing:
        problems.append("credentials missing from the environment: %s" % ", ".join(missing))
    if problems:
        if settings.backend == "cortex":
            raise BackendUnavailable("AGENT_BACKEND=cortex but " + "; ".join(problems) + ".")
        log.warning("answering with the stand-in (AGENT_BACKEND=auto): %s", "; ".join(problems))
        return StubAnalyst()
    return CortexAnalyst(settings)
