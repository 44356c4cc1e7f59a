"""The one module that knows what serves <%= name %>: bedrock-agentcore's BedrockAgentCoreApp.

When the package is installed (requirements.txt, every online image) it is the real app. Without it (the tests on
Debian's Python, images built with OFFLINE=true) a stand-in with the same surface serves the same contract.
"""

try:
    from bedrock_agentcore.runtime import BedrockAgentCoreApp, PingStatus

    RUNTIME = "bedrock-agentcore"
except ImportError:  # the SDK is not installed: serve the same contract with the stand-in
    from app.runtime_standin import BedrockAgentCoreApp, PingStatus

    RUNTIME = "stand-in"

__all__ = ["RUNTIME", "BedrockAgentCoreApp", "PingStatus"]
