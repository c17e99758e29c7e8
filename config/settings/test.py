"""Tests: fast hashing, in-memory e-mail, tasks run inline unless a test says otherwise."""

from .base import *  # noqa: F403

SECRET_KEY = "test-only-secret-key"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / "var" / "test-media"  # noqa: F405
LOGGING["loggers"]["security.auth"]["level"] = "INFO"  # noqa: F405
WAGTAILADMIN_BASE_URL = "http://testserver"
# Issued PDFs written by tests stay apart from the demo's.
CERTIFICATES_FILES_ROOT = BASE_DIR / "var" / "test-documents"  # noqa: F405
# Uploaded import files waiting for their confirm, apart from the demo's.
IMPORTS_UPLOAD_ROOT = BASE_DIR / "var" / "test-imports"  # noqa: F405
NOTIFICATIONS_SMS_BACKEND = "notifications.sms.LocmemBackend"
# Most tests build placements on fixed dates (autumn 2026) and check what the ward's
# supervisors do with them whatever day the tests run: the ward sees them for good.
# The tests of the "placed now" rule set the real grace (14 days) themselves.
PLACEMENT_SUPERVISION_GRACE_DAYS = 36500
