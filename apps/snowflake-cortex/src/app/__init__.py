"""snowflake-cortex: Snowflake Cortex agent service."""
