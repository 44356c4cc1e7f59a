"""The one module that knows the Langfuse SDK (v5): a LangChain callback that traces each graph run.

Tracing is on when LANGFUSE_BASE_URL, LANGFUSE_PUBLIC_KEY and LANGFUSE_SECRET_KEY are all set and the langfuse
package is installed; otherwise requests run untraced and /health says why. A run's session_id becomes the trace's
Langfuse session (propagate_attributes).
"""

import importlib
import threading
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any, ContextManager, Dict, List, Mapping, Optional, Tuple

REQUIRED = ("LANGFUSE_BASE_URL", "LANGFUSE_PUBLIC_KEY", "LANGFUSE_SECRET_KEY")
SDK_MODULE = "langfuse"
INTEGRATION_MODULE = "langfuse.langchain"

_clients: Dict[Tuple[str, str], Any] = {}
_clients_lock = threading.Lock()


@dataclass
class Tracing:
    """What a run needs: the LangChain callbacks, and the scope that puts the run in its Langfuse session."""

    callbacks: List[Any] = field(default_factory=list)
    session_id: Optional[str] = None
    _sdk: Any = None

    def scope(self) -> ContextManager[Any]:
        if self._sdk is None or not self.session_id:
            return nullcontext()
        return self._sdk.propagate_attributes(session_id=self.session_id)


def tracing_status(env: Mapping[str, str]) -> Tuple[str, str]:
    """("langfuse", base URL) when tracing is on, else ("disabled", the reason). Never returns a key."""
    missing = [name for name in REQUIRED if not env.get(name)]
    if missing:
        return "disabled", "not configured (%s unset)" % ", ".join(missing)
    try:
        importlib.import_module(INTEGRATION_MODULE)
    except ImportError:
        return "disabled", "the langfuse package is not installed"
    return "langfuse", env["LANGFUSE_BASE_URL"]


def langfuse_tracing(env: Mapping[str, str], session_id: Optional[str] = None) -> Tracing:
    if tracing_status(env)[0] != "langfuse":
        return Tracing()
    sdk = importlib.import_module(SDK_MODULE)
    public_key = env["LANGFUSE_PUBLIC_KEY"]
    key = (env["LANGFUSE_BASE_URL"], public_key)
    with _clients_lock:
        # One client per project and host: it owns the OpenTelemetry exporter that batches the spans.
        if key not in _clients:
            _clients[key] = sdk.Langfuse(public_key=public_key, secret_key=env["LANGFUSE_SECRET_KEY"], base_url=env["LANGFUSE_BASE_URL"])
    handler = importlib.import_module(INTEGRATION_MODULE).CallbackHandler(public_key=public_key)
    return Tracing(callbacks=[handler], session_id=session_id, _sdk=sdk)
