"""A stand-in for the MCP Python SDK's MCPServer (mcp 2.1): the part of its surface <%= name %> uses.

It serves what the SDK serves with streamable_http_app(stateless_http=True, json_response=True): one JSON-RPC
request per POST to the MCP path, answered as application/json (initialize, ping, tools/list, tools/call), 202 for
notifications, 406 unless the client accepts both application/json and text/event-stream, 415 for another content
type, and the custom routes. A tool that raises is a result with isError, as in the SDK.
"""

import inspect
import json
from typing import Any, Callable, Dict, List, Optional

from starlette.applications import Starlette
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

PROTOCOL_VERSIONS = ("2025-11-25", "2025-06-18", "2025-03-26")
PARSE_ERROR, INVALID_REQUEST, METHOD_NOT_FOUND, INVALID_PARAMS = -32700, -32600, -32601, -32602
JSON_TYPES = {str: "string", int: "integer", float: "number", bool: "boolean", dict: "object", list: "array"}


def _input_schema(func: Callable) -> Dict[str, Any]:
    properties, required = {}, []
    for name, param in inspect.signature(func).parameters.items():
        annotation = param.annotation
        optional = getattr(annotation, "__args__", None)
        json_type = JSON_TYPES.get(optional[0] if optional else annotation, "string")
        properties[name] = {"title": name.replace("_", " ").title(), "type": json_type}
        if param.default is inspect.Parameter.empty:
            required.append(name)
    return {"type": "object", "properties": properties, "required": required}


class MCPServer:
    def __init__(self, name: Optional[str] = None, title: Optional[str] = None, description: Optional[str] = None,
                 instructions: Optional[str] = None, version: str = "", **_: Any) -> None:
        self.name = name or "mcp-server"
        self.instructions = instructions
        self.version = version
        self._tools: Dict[str, Dict[str, Any]] = {}
        self._routes: List[Route] = []

    def tool(self, name: Optional[str] = None, title: Optional[str] = None, description: Optional[str] = None,
             structured_output: Optional[bool] = None, **_: Any) -> Callable:
        def register(func: Callable) -> Callable:
            tool_name = name or func.__name__
            self._tools[tool_name] = {
                "func": func,
                "spec": {"name": tool_name, "description": description or inspect.getdoc(func) or "", "inputSchema": _input_schema(func)},
            }
            return func

        return register

    def custom_route(self, path: str, methods: List[str], name: Optional[str] = None, include_in_schema: bool = True) -> Callable:
        def register(func: Callable) -> Callable:
            self._routes.append(Route(path, func, methods=methods, name=name))
            return func

        return register

    def streamable_http_app(self, *, streamable_http_path: str = "/mcp", json_response: bool = False,
                            stateless_http: bool = False, host: str = "127.0.0.1", **_: Any) -> Starlette:
        return Starlette(routes=[Route(streamable_http_path, self._handle, methods=["GET", "POST", "DELETE"]), *self._routes])

    async def _handle(self, request: Any) -> Response:
        if request.method != "POST":
            return _error(None, INVALID_REQUEST, "Method Not Allowed", 405)
        accept = request.headers.get("accept", "")
        if "application/json" not in accept or "text/event-stream" not in accept:
            return _error("server-error", INVALID_REQUEST, "Not Acceptable: Client must accept both application/json and text/event-stream", 406)
        if not request.headers.get("content-type", "").startswith("application/json"):
            return _error("server-error", INVALID_REQUEST, "Unsupported Media Type: Content-Type must be application/json", 415)
        try:
            message = json.loads(await request.body())
        except (ValueError, UnicodeDecodeError):
            return _error(None, PARSE_ERROR, "Parse error", 400)
        if not isinstance(message, dict) or message.get("jsonrpc") != "2.0" or "method" not in message:
            return _error(message.get("id") if isinstance(message, dict) else None, INVALID_REQUEST, "Invalid request", 400)
        if "id" not in message:
            return Response(status_code=202)
        try:
            result = await self._dispatch(message["method"], message.get("params") or {})
        except LookupError as missing:
            return _error(message["id"], METHOD_NOT_FOUND if "method" in str(missing) else INVALID_PARAMS, str(missing).strip("'\""), 200)
        return JSONResponse({"jsonrpc": "2.0", "id": message["id"], "result": result})

    async def _dispatch(self, method: str, params: Dict[str, Any]) -> Dict[str, Any]:
        if method == "initialize":
            asked = params.get("protocolVersion")
            return {
                "protocolVersion": asked if asked in PROTOCOL_VERSIONS else PROTOCOL_VERSIONS[0],
                "capabilities": {"tools": {"listChanged": False}},
                "serverInfo": {"name": self.name, "version": self.version},
                **({"instructions": self.instructions} if self.instructions else {}),
            }
        if method == "ping":
            return {}
        if method == "tools/list":
            return {"tools": [tool["spec"] for tool in self._tools.values()]}
        if method == "tools/call":
            return await self._call(params.get("name"), params.get("arguments") or {})
        raise LookupError("Method not found: %s" % method)

    async def _call(self, name: Any, arguments: Dict[str, Any]) -> Dict[str, Any]:
        tool = self._tools.get(name)
        if tool is None:
            raise LookupError("Unknown tool: %s" % name)
        missing = [p for p in tool["spec"]["inputSchema"]["required"] if p not in arguments]
        try:
            if missing:
                raise ValueError("Missing required argument(s): %s" % ", ".join(missing))
            result = tool["func"](**arguments)
            if inspect.isawaitable(result):
                result = await result
        except Exception as error:
            return {"content": [{"type": "text", "text": "Error executing tool %s: %s" % (name, error)}], "isError": True}
        return {"content": [{"type": "text", "text": str(result)}], "isError": False}


def _error(request_id: Any, code: int, message: str, status: int) -> JSONResponse:
    return JSONResponse({"jsonrpc": "2.0", "id": request_id, "error": {"code": code, "message": message}}, status_code=status)
