"""HelloAgents API: a FastAPI service backed by PostgreSQL and Redis."""

__version__ = "0.1.0"
