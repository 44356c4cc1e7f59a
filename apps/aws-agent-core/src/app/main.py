"""HTTP face of aws-agent-core: the Bedrock AgentCore Runtime contract on port 8080.

  GET  /ping         {"status": "Healthy"} when idle, "HealthyBusy" while an invocation runs
  POST /invocations  JSON payload {"prompt": ..., "session_id"?: ..., "metadata"?: ...} -> the agent's answer
"""

import threading
from typing import Optional

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from app.agent import BackendUnavailable, load_agent
from app.contract import BusyTracker, PayloadError, configure_logging, error_body, parse_invocation

SERVICE = "aws-agent-core"


def create_app(agent=None) -> FastAPI:
    log = configure_logging(SERVICE)
    app = FastAPI(title=SERVICE, docs_url=None, redoc_url=None, openapi_url=None)
    busy = BusyTracker()
    lock = threading.Lock()
    loaded = {"agent": agent}

    def get_agent():
        # Loaded on first use, not at import: the framework is slow to import and /ping must answer at once.
        with lock:
            if loaded["agent"] is None:
                loaded["agent"] = load_agent()
            return loaded["agent"]

    @app.get("/ping")
    def ping() -> dict:
        return {"status": busy.status(), "time_of_last_update": busy.last_update}

    @app.post("/invocations")
    async def invocations(request: Request):
        try:
            invocation = parse_invocation(await request.body())
        except PayloadError as bad:
            return JSONResponse(error_body(bad.code, bad.message), status_code=400)
        with busy.track():
            try:
                # In a worker thread, so /ping keeps answering (HealthyBusy) while the agent thinks.
                answer = await run_in_threadpool(lambda: get_agent().invoke(invocation))
            except BackendUnavailable as unavailable:
                return JSONResponse(error_body("backend_unavailable", str(unavailable)), status_code=503)
            except Exception:
                log.exception("invocation failed")
                return JSONResponse(error_body("agent_error", "The agent failed to answer; see the service log."), status_code=500)
        return {**answer, "session_id": invocation.session_id}

    app.state.busy = busy
    return app


app = create_app()
