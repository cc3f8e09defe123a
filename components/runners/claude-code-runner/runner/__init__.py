"""The vTeam Claude Code runner: runs one agentic session and reports its result."""
