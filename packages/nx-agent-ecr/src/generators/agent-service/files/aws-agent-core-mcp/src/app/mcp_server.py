"""The one module that knows what serves <%= name %>'s MCP endpoint: the MCP Python SDK's MCPServer.

When the package is installed (requirements.txt, every online image) it is the real server. Without it (the tests on
Debian's Python, images built with OFFLINE=true) a stand-in with the same surface serves the same contract.
"""

try:
    from mcp.server.mcpserver import MCPServer

    RUNTIME = "mcp"
except ImportError:  # the SDK is not installed: serve the same contract with the stand-in
    from app.mcp_standin import MCPServer

    RUNTIME = "stand-in"

__all__ = ["RUNTIME", "MCPServer"]
