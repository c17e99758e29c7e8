"""Reads of the base app that carry their joins."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q, QuerySet

from .models import RoleAssignment


def people_with_roles(search: str = "") -> QuerySet:
    """Back-office accounts with their role assignments (and the scope of each) and
    their Wagtail groups prefetched: a page of 50 costs the same queries as one of 5.

    `search` matches the username, e-mail or any part of the full name.
    """
    users = (
        get_user_model()
        .objects.order_by("first_name", "last_name", "username")
        .prefetch_related(
            Prefetch(
                "role_assignments",
                queryset=RoleAssignment.objects.select_related(
                    "institute", "hospital", "ward__hospital"
                ).order_by("role", "pk"),
            ),
            "groups",
        )
    )
    for word in search.split():
        condition = (
            Q(username__icontains=word)
            | Q(email__icontains=word)
            | Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
        )
        users = users.filter(condition)
    return users
