"""Development: debug on, console e-mail, a fixed throw-away secret key."""

import os

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-insecure-key-not-for-production"
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
ALLOWED_HOSTS = ["*"]

# `make demo` serves on $PORT: documents printed in the demo (QR codes, verification
# addresses) and e-mailed links must point there, not at a fixed 8000.
if not os.environ.get("SITE_BASE_URL"):
    PORT = os.environ.get("PORT", "").strip() or "8000"
    SITE_BASE_URL = WAGTAILADMIN_BASE_URL = f"http://127.0.0.1:{PORT}"
