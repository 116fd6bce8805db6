"""Core's own REST endpoints (session, users, roles, organizations, tokens, numbering, audit)."""
