"""langgraph: LangGraph supervisor that routes requests to worker agents, traced with Langfuse."""
