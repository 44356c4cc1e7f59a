"""A stand-in for the A2A SDK (a2a-sdk 1.3) behind bedrock-agentcore's build_a2a_app: the surface <%= name %> uses.

It serves what build_a2a_app serves: GET /ping {"status"}, GET /.well-known/agent-card.json (the card as the SDK's
JSON: camelCase, empty fields left out) and JSON-RPC 2.0 at POST /, where SendMessage runs the executor and answers
{"message": ...} with the first Message it enqueues. Unknown methods are -32601, bad JSON -32700, a non-2.0 or
method-less request -32600, as in the SDK.
"""

import os
import uuid
from abc import ABC, abstractmethod
from enum import Enum
from typing import Any, Callable, Dict, List, Optional

from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

AGENT_CARD_PATH = "/.well-known/agent-card.json"
PARSE_ERROR, INVALID_REQUEST, METHOD_NOT_FOUND, INVALID_PARAMS = -32700, -32600, -32601, -32602


class PingStatus(str, Enum):
    HEALTHY = "Healthy"
    HEALTHY_BUSY = "HealthyBusy"


class UnsupportedOperationError(Exception):
    pass


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


class _Proto:
    """Keyword fields serialized like protobuf's MessageToDict: camelCase keys, unset and empty fields left out."""

    def __init__(self, **fields: Any) -> None:
        self.__dict__.update(fields)

    def to_dict(self) -> Dict[str, Any]:
        def value(v: Any) -> Any:
            if isinstance(v, _Proto):
                return v.to_dict()
            if isinstance(v, list):
                return [value(item) for item in v]
            return v

        return {_camel(k): value(v) for k, v in self.__dict__.items() if v not in (None, "", [], {})}


class AgentCard(_Proto):
    pass


class AgentSkill(_Proto):
    pass


class AgentCapabilities(_Proto):
    pass


class AgentInterface(_Proto):
    pass


class Message(_Proto):
    pass


def new_text_message(text: str, media_type: Optional[str] = None, context_id: Optional[str] = None,
                     task_id: Optional[str] = None, role: str = "ROLE_AGENT") -> Message:
    return Message(message_id=str(uuid.uuid4()), context_id=context_id, task_id=task_id, role=role, parts=[{"text": text}])


class RequestContext:
    def __init__(self, message: Dict[str, Any], context_id: str, task_id: Optional[str] = None) -> None:
        self.message = message
        self.context_id = context_id
        self.task_id = task_id

    def get_user_input(self, delimiter: str = "\n") -> str:
        return delimiter.join(part["text"] for part in self.message.get("parts", []) if isinstance(part, dict) and "text" in part)


class EventQueue:
    def __init__(self) -> None:
        self.events: List[Any] = []

    async def enqueue_event(self, event: Any) -> None:
        self.events.append(event)


class AgentExecutor(ABC):
    @abstractmethod
    async def execute(self, context: RequestContext, event_queue: EventQueue) -> None: ...

    @abstractmethod
    async def cancel(self, context: RequestContext, event_queue: EventQueue) -> None: ...


def build_a2a_app(executor: AgentExecutor, agent_card: AgentCard, *, runtime_url: Optional[str] = None,
                  ping_handler: Optional[Callable[[], PingStatus]] = None, **_: Any) -> Starlette:
    url = os.environ.get("AGENTCORE_RUNTIME_URL") or runtime_url
    if url:
        for interface in agent_card.supported_interfaces:
            if interface.protocol_binding == "JSONRPC":
                interface.url = url

    def ping(request: Any) -> JSONResponse:
        try:
            status = ping_handler() if ping_handler else PingStatus.HEALTHY
        except Exception:
            status = PingStatus.HEALTHY
        return JSONResponse({"status": PingStatus(status).value})

    def card(request: Any) -> JSONResponse:
        return JSONResponse(agent_card.to_dict())

    async def rpc(request: Any) -> JSONResponse:
        try:
            body = await request.json()
        except (ValueError, UnicodeDecodeError) as error:
            return _error(None, PARSE_ERROR, str(error))
        request_id = body.get("id") if isinstance(body, dict) else None
        if not isinstance(body, dict) or body.get("jsonrpc") != "2.0" or not body.get("method"):
            return _error(request_id, INVALID_REQUEST, "Invalid request: 'jsonrpc' must be exactly '2.0' and 'method' is required")
        if body["method"] != "SendMessage":
            return _error(request_id, METHOD_NOT_FOUND, "Method not found")
        message = (body.get("params") or {}).get("message")
        if not isinstance(message, dict) or not message.get("parts"):
            return _error(request_id, INVALID_PARAMS, "params.message with parts is required")
        queue = EventQueue()
        context = RequestContext(message, context_id=message.get("contextId") or str(uuid.uuid4()), task_id=message.get("taskId"))
        await executor.execute(context, queue)
        reply = next(event for event in queue.events if isinstance(event, Message))
        return JSONResponse({"jsonrpc": "2.0", "id": request_id, "result": {"message": reply.to_dict()}})

    routes = [Route("/ping", ping, methods=["GET"]), Route(AGENT_CARD_PATH, card, methods=["GET"]), Route("/", rpc, methods=["POST"])]
    return Starlette(routes=routes)


def _error(request_id: Any, code: int, message: str) -> JSONResponse:
    return JSONResponse({"jsonrpc": "2.0", "id": request_id, "error": {"code": code, "message": message}})
