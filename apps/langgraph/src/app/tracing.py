"""The one module that knows the Langfuse SDK: a LangChain callback that traces each graph run.

Tracing is on when LANGFUSE_HOST, LANGFUSE_PUBLIC_KEY and LANGFUSE_SECRET_KEY are all set and the langfuse
package is installed; otherwise requests run untraced and /health says why.
"""

import importlib
import logging
from typing import Any, List, Mapping, Tuple

log = logging.getLogger(__name__)
REQUIRED = ("LANGFUSE_HOST", "LANGFUSE_PUBLIC_KEY", "LANGFUSE_SECRET_KEY")


def tracing_status(env: Mapping[str, str]) -> Tuple[str, str]:
    """("langfuse", host) when tracing is on, else ("disabled", the reason). Never returns a key."""
    missing = [name for name in REQUIRED if not env.get(name)]
    if missing:
        return "disabled", "not configured (%s unset)" % ", ".join(missing)
    try:
        importlib.import_module("langfuse.callback")
    except ImportError:
        return "disabled", "the langfuse package is not installed"
    return "langfuse", env["LANGFUSE_HOST"]


def langfuse_callbacks(env: Mapping[str, str], session_id: Any = None) -> List[Any]:
    if tracing_status(env)[0] != "langfuse":
        return []
    handler = importlib.import_module("langfuse.callback").CallbackHandler(
        host=env["LANGFUSE_HOST"], public_key=env["LANGFUSE_PUBLIC_KEY"], secret_key=env["LANGFUSE_SECRET_KEY"], session_id=session_id
    )
    return [handler]
