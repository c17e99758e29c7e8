"""The public site's rate limits use the project's one limiter (per client address)."""

from institutes.ratelimit import client_key, over_limit

__all__ = ["client_key", "over_limit"]
