"""HTTP face of langgraph: the LangGraph supervisor on port 8001.

  GET  /health  {"status": "ok", "busy": <requests in flight>, "tracing": "langfuse" | "disabled", "tracing_detail": ...}
  POST /invoke  JSON payload {"prompt": ..., "session_id"?: ..., "metadata"?: ...} -> {"output", "route", "backend", "session_id"}
"""

import os
import threading

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from app.agent import BackendUnavailable, load_supervisor
from app.contract import BusyTracker, PayloadError, configure_logging, error_body, parse_invocation
from app.tracing import langfuse_tracing, tracing_status

SERVICE = "langgraph"


def create_app(supervisor=None, env=None) -> FastAPI:
    env = os.environ if env is None else env
    log = configure_logging(SERVICE)
    app = FastAPI(title=SERVICE, docs_url=None, redoc_url=None, openapi_url=None)
    busy = BusyTracker()
    lock = threading.Lock()
    loaded = {"supervisor": supervisor}

    def get_supervisor():
        # Built on first use, not at import: /health must answer while the graph is still unbuilt.
        with lock:
            if loaded["supervisor"] is None:
                loaded["supervisor"] = load_supervisor(env)
            return loaded["supervisor"]

    @app.get("/health")
    def health() -> dict:
        tracing, detail = tracing_status(env)
        return {"status": "ok", "busy": busy.status() == "HealthyBusy", "tracing": tracing, "tracing_detail": detail}

    @app.post("/invoke")
    async def invoke(request: Request):
        try:
            invocation = parse_invocation(await request.body())
        except PayloadError as bad:
            return JSONResponse(error_body(bad.code, bad.message), status_code=400)
        with busy.track():
            try:
                tracing = langfuse_tracing(env, invocation.session_id)

                def run():
                    # The session scope is entered in the worker thread, where the graph's spans are made.
                    with tracing.scope():
                        return get_supervisor().invoke(invocation, tracing.callbacks)

                answer = await run_in_threadpool(run)
            except BackendUnavailable as unavailable:
                return JSONResponse(error_body("backend_unavailable", str(unavailable)), status_code=503)
            except Exception:
                log.exception("invoke failed")
                return JSONResponse(error_body("agent_error", "The supervisor failed to answer; see the service log."), status_code=500)
        return {**answer, "session_id": invocation.session_id}

    return app


app = create_app()
