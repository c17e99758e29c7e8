"""Every sign-in, failed sign-in and sign-out is logged with time, address and username.

The password is never logged: Django's `user_login_failed` passes credentials with
sensitive values already replaced, and only the username is read here.
"""

import logging

from django.contrib.auth.signals import (
    user_logged_in,
    user_logged_out,
    user_login_failed,
)
from django.dispatch import receiver

logger = logging.getLogger("security.auth")


def client_address(request) -> str:
    if request is None:
        return "-"
    return request.META.get("REMOTE_ADDR", "-")


@receiver(user_logged_in)
def log_login(sender, request, user, **kwargs):
    logger.info(
        "login success user=%s address=%s", user.get_username(), client_address(request)
    )


@receiver(user_login_failed)
def log_login_failure(sender, credentials, request=None, **kwargs):
    logger.warning(
        "login failure user=%s address=%s",
        (credentials or {}).get("username", "-"),
        client_address(request),
    )


@receiver(user_logged_out)
def log_logout(sender, request, user, **kwargs):
    logger.info(
        "logout user=%s address=%s",
        user.get_username() if user else "-",
        client_address(request),
    )
