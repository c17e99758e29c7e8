"""The errors the student services raise, with the reason in words."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class LifecycleError(ValidationError):
    """A status change that the lifecycle does not allow, with the reason in words."""


class CohortFull(LifecycleError):
    """Admitting one more student would exceed the cohort's capacity."""
