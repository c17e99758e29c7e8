"""A fixed-window rate limit per client address, kept in the Django cache.

The cache is Redis in production, so every app server counts against one total.
The client is `institutes.client_address.client_address` (through trusted proxies).
"""

from __future__ import annotations

from django.core.cache import cache

from .client_address import client_address


def client_key(request) -> str:
    return client_address(request)


def over_limit(
    request,
    *,
    scope: str,
    limit: int,
    window: int,
    count: bool = True,
    subject: str = "",
) -> bool:
    """Whether this client has used up `limit` actions of `scope` in `window` seconds.

    With `count=False` it only looks (e.g. before validating a form); otherwise the
    call counts as one action. `subject` counts something else than the client
    address (e.g. the portal's wrong passwords per typed document number, whoever
    types them); `request` may then be None.
    """
    key = f"cms:rate:{scope}:{subject or client_key(request)}"
    if not count:
        return (cache.get(key) or 0) >= limit
    if cache.add(key, 1, timeout=window):
        return False
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        return False
    return used > limit
