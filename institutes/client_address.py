"""The visitor's address, as seen through the trusted reverse proxies in front of us.

Behind a load balancer `REMOTE_ADDR` is the balancer's address for every visitor, so
sign-in lock-outs, rate limits and the security log must read `X-Forwarded-For`.
That header is a list each proxy appends to; everything left of what *our* proxies
appended was written by the client and may be forged. With `TRUSTED_PROXY_COUNT = N`
the client is the N-th entry from the right (the address the outermost trusted proxy
saw). With N = 0 (the default: no proxy) the header is ignored and `REMOTE_ADDR` is
the client.

`client_ip` is the only function that answers "who is this client": django-axes
calls it through `AXES_CLIENT_IP_CALLABLE`, and every rate limit and log line uses it
through `client_address`.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings

UNKNOWN = "unknown"


def _valid_ip(value: str) -> str | None:
    text = value.strip()
    if text.startswith("[") and "]" in text:  # "[2001:db8::1]:443"
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # "203.0.113.5:51234"
        text = text.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's IP address, or None when there is none to trust.

    A forwarded list shorter than the number of trusted proxies, or an entry that is
    not an IP address, falls back to the direct peer: a request that did not pass
    through every proxy is not believed. django-axes stores this value in an IP
    address column, so "no address" is None here (e.g. `Client.force_login`).
    """
    if request is None:
        return None
    meta = request.META
    remote = _valid_ip(meta.get("REMOTE_ADDR") or "")
    count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if count <= 0:
        return remote
    forwarded = [
        entry.strip()
        for entry in (meta.get("HTTP_X_FORWARDED_FOR") or "").split(",")
        if entry.strip()
    ]
    if len(forwarded) < count:
        return remote
    return _valid_ip(forwarded[-count]) or remote


def client_address(request) -> str:
    """The client's IP address as text for rate-limit keys and log lines
    ("unknown" when there is none)."""
    return client_ip(request) or UNKNOWN
