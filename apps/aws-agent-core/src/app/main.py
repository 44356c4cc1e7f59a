"""HTTP face of aws-agent-core: AgentCore Runtime's HTTP protocol on port 8080, served by BedrockAgentCoreApp.

  GET  /ping         {"status": "Healthy"} when idle, "HealthyBusy" while an invocation runs
  POST /invocations  JSON payload {"prompt": ..., "session_id"?: ..., "metadata"?: ...} -> the agent's answer
"""

import threading

from starlette.responses import JSONResponse

from app.agent import BackendUnavailable, load_agent
from app.contract import PayloadError, configure_logging, error_body, validate_invocation
from app.runtime import BedrockAgentCoreApp

SERVICE = "aws-agent-core"


def create_app(agent=None) -> BedrockAgentCoreApp:
    log = configure_logging(SERVICE)
    app = BedrockAgentCoreApp()
    lock = threading.Lock()
    loaded = {"agent": agent}

    def get_agent():
        # Loaded on first use, not at import: the framework is slow to import and /ping must answer at once.
        with lock:
            if loaded["agent"] is None:
                loaded["agent"] = load_agent()
            return loaded["agent"]

    @app.entrypoint
    def invoke(payload, context):
        # A plain function: the app runs it in a worker thread, so /ping keeps answering while the agent thinks.
        try:
            invocation = validate_invocation(payload)
        except PayloadError as bad:
            return JSONResponse(error_body(bad.code, bad.message), status_code=400)
        # Registered as a task so that /ping answers HealthyBusy until the answer is out.
        task = app.add_async_task("invocation")
        try:
            answer = get_agent().invoke(invocation)
        except BackendUnavailable as unavailable:
            return JSONResponse(error_body("backend_unavailable", str(unavailable)), status_code=503)
        except Exception:
            log.exception("invocation failed")
            return JSONResponse(error_body("agent_error", "The agent failed to answer; see the service log."), status_code=500)
        finally:
            app.complete_async_task(task)
        # AgentCore passes its session in a header; a session_id in the payload wins.
        return {**answer, "session_id": invocation.session_id or context.session_id}

    return app


app = create_app()
