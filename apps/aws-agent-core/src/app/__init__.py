"""aws-agent-core: Strands agent behind the Bedrock AgentCore Runtime contract."""
