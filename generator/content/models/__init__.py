"""Pydantic models of the consultant's input: French keys (aliases), English attributes."""
