"""HTTP face of snowflake-cortex: the Snowflake Cortex agent service on port 8000.

  GET  /health  {"status": "ok", "busy": <bool>, "snowflake": "configured" | "not configured"}
  POST /invoke  JSON payload {"prompt": ..., "session_id"?: ..., "metadata"?: ...} -> {"output", "backend", "session_id", ...}
"""

import os
import threading

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from app.agent import BackendUnavailable, Settings, load_analyst
from app.contract import BusyTracker, PayloadError, configure_logging, error_body, parse_invocation

SERVICE = "snowflake-cortex"


def create_app(analyst=None, env=None) -> FastAPI:
    env = os.environ if env is None else env
    log = configure_logging(SERVICE)
    app = FastAPI(title=SERVICE, docs_url=None, redoc_url=None, openapi_url=None)
    busy = BusyTracker()
    lock = threading.Lock()
    loaded = {"analyst": analyst}

    def get_analyst():
        with lock:
            if loaded["analyst"] is None:
                loaded["analyst"] = load_analyst(env)
            return loaded["analyst"]

    @app.get("/health")
    def health() -> dict:
        # Says whether credentials are present, never what they are.
        configured = not Settings.from_env(env).missing_credentials()
        return {"status": "ok", "busy": busy.status() == "HealthyBusy", "snowflake": "configured" if configured else "not configured"}

    @app.post("/invoke")
    async def invoke(request: Request):
        try:
            invocation = parse_invocation(await request.body())
        except PayloadError as bad:
            return JSONResponse(error_body(bad.code, bad.message), status_code=400)
        with busy.track():
            try:
                answer = await run_in_threadpool(lambda: get_analyst().invoke(invocation))
            except BackendUnavailable as unavailable:
                return JSONResponse(error_body("backend_unavailable", str(unavailable)), status_code=503)
            except Exception:
                log.exception("invoke failed")
                return JSONResponse(error_body("agent_error", "Cortex failed to answer; see the service log."), status_code=500)
        return {**answer, "session_id": invocation.session_id}

    return app


app = create_app()
