"""aws-agent-core: Strands agent on the Bedrock AgentCore Runtime contract."""
