"""A stand-in for bedrock-agentcore's BedrockAgentCoreApp (1.25): the part of its surface aws-agent-core uses.

It mirrors the SDK's HTTP contract: POST /invocations hands the decoded JSON (and the request context) to the
@app.entrypoint function in a worker thread and returns its result as JSON (a Starlette Response passes through);
undecodable JSON is 400 {"error": "Invalid JSON", "details"}; an exception is 500 {"error"}. GET /ping answers
{"status": "Healthy" | "HealthyBusy", "time_of_last_update"}, HealthyBusy while async tasks are registered.
"""

import inspect
import json
import threading
import time
import uuid
from enum import Enum
from typing import Any, Callable, Dict, Optional

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

SESSION_HEADER = "X-Amzn-Bedrock-AgentCore-Runtime-Session-Id"


class PingStatus(str, Enum):
    HEALTHY = "Healthy"
    HEALTHY_BUSY = "HealthyBusy"


class RequestContext:
    def __init__(self, session_id: Optional[str], request_headers: Optional[Dict[str, str]] = None, request: Any = None) -> None:
        self.session_id = session_id
        self.request_headers = request_headers
        self.request = request


class BedrockAgentCoreApp(Starlette):
    def __init__(self, debug: bool = False, lifespan: Any = None, middleware: Any = None) -> None:
        self.handlers: Dict[str, Callable] = {}
        self._ping_handler: Optional[Callable] = None
        self._active_tasks: Dict[int, Dict[str, Any]] = {}
        self._task_lock = threading.Lock()
        self._last_known_status: Optional[PingStatus] = None
        self._last_status_update_time = time.time()
        routes = [Route("/invocations", self._handle_invocation, methods=["POST"]), Route("/ping", self._handle_ping, methods=["GET"])]
        super().__init__(routes=routes, lifespan=lifespan, middleware=middleware)
        self.debug = debug

    def entrypoint(self, func: Callable) -> Callable:
        self.handlers["main"] = func
        return func

    def ping(self, func: Callable) -> Callable:
        self._ping_handler = func
        return func

    def add_async_task(self, name: str, metadata: Optional[Dict] = None) -> int:
        with self._task_lock:
            task_id = hash(str(uuid.uuid4()))
            self._active_tasks[task_id] = {"name": name, "start_time": time.time(), **({"metadata": metadata} if metadata else {})}
        return task_id

    def complete_async_task(self, task_id: int) -> bool:
        with self._task_lock:
            return self._active_tasks.pop(task_id, None) is not None

    def get_current_ping_status(self) -> PingStatus:
        status = None
        if self._ping_handler:
            try:
                status = PingStatus(self._ping_handler())
            except Exception:
                status = None
        if status is None:
            status = PingStatus.HEALTHY_BUSY if self._active_tasks else PingStatus.HEALTHY
        if status != self._last_known_status:
            self._last_known_status = status
            self._last_status_update_time = time.time()
        return status

    def _handle_ping(self, request: Any) -> JSONResponse:
        status = self.get_current_ping_status()
        return JSONResponse({"status": status.value, "time_of_last_update": int(self._last_status_update_time)})

    async def _handle_invocation(self, request: Any) -> Response:
        try:
            payload = await request.json()
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            return JSONResponse({"error": "Invalid JSON", "details": str(error)}, status_code=400)
        handler = self.handlers.get("main")
        if handler is None:
            return JSONResponse({"error": "No entrypoint defined"}, status_code=500)
        context = RequestContext(session_id=request.headers.get(SESSION_HEADER), request=request)
        takes_context = list(inspect.signature(handler).parameters)[1:2] == ["context"]
        args = (payload, context) if takes_context else (payload,)
        try:
            if inspect.iscoroutinefunction(handler):
                result = await handler(*args)
            else:
                result = await run_in_threadpool(handler, *args)
        except Exception as error:
            return JSONResponse({"error": str(error)}, status_code=500)
        if isinstance(result, Response):
            return result
        return Response(json.dumps(result, ensure_ascii=False), media_type="application/json")
