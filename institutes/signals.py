"""Every sign-in, failed sign-in and sign-out is logged with time, address and username.

The password is never logged: Django's `user_login_failed` passes credentials with
sensitive values already replaced, and only the username is read here. The username
is whatever was typed, so it is escaped (`log_value`): a line break in it cannot
write a second, forged line. The address is the client's, through the trusted
proxies (`institutes.client_address`).
"""

import logging

from django.contrib.auth.signals import (
    user_logged_in,
    user_logged_out,
    user_login_failed,
)
from django.dispatch import receiver

from .client_address import client_address
from .plain_text import log_value

logger = logging.getLogger("security.auth")


def _address(request) -> str:
    return log_value(client_address(request)) if request is not None else "-"


@receiver(user_logged_in)
def log_login(sender, request, user, **kwargs):
    logger.info(
        "login success user=%s address=%s",
        log_value(user.get_username()),
        _address(request),
    )


@receiver(user_login_failed)
def log_login_failure(sender, credentials, request=None, **kwargs):
    logger.warning(
        "login failure user=%s address=%s",
        log_value((credentials or {}).get("username", "-")),
        _address(request),
    )


@receiver(user_logged_out)
def log_logout(sender, request, user, **kwargs):
    logger.info(
        "logout user=%s address=%s",
        log_value(user.get_username()) if user else "-",
        _address(request),
    )
