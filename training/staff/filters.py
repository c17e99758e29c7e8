"""django-filter filter sets of the staff-training screens (choices through the
access module)."""

from __future__ import annotations

import django_filters

from django.utils.translation import gettext_lazy as _

from institutes import access
from institutes.scoped_admin import ScopedFilterSet

from .compliance import State, state_conditions
from .models import StaffTopicStatus, Topic

#: The lists of the "Staff to train" screen, by the states they gather.
PEOPLE_STATES = {
    "overdue": ([State.EXPIRED, State.NEVER], _("Expired or never taken")),
    "expired": ([State.EXPIRED], _("Expired")),
    "due": ([State.DUE], _("Due within 30 days")),
    "never": ([State.NEVER], _("Never taken")),
    "grace": ([State.GRACE], _("In grace period")),
    "compliant": ([State.COMPLIANT], _("Compliant")),
}


def _hospitals(request):
    return access.hospitals_for(request.user) if request else None


def _wards(request):
    return access.wards_for(request.user) if request else None


class StaffToTrainFilter(ScopedFilterSet):
    """Status, hospital, department and topic of the "Staff to train" list."""

    state = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[(key, label) for key, (_states, label) in PEOPLE_STATES.items()],
        method="filter_state",
        empty_label=None,
    )
    hospital = django_filters.ModelChoiceFilter(
        label=_("Hospital"), queryset=_hospitals, field_name="hospital"
    )
    ward = django_filters.ModelChoiceFilter(
        label=_("Department / ward"), queryset=_wards, field_name="ward"
    )
    topic = django_filters.ModelChoiceFilter(
        label=_("Topic"), queryset=Topic.objects.order_by("code")
    )

    class Meta:
        model = StaffTopicStatus
        fields = ["state", "hospital", "ward", "topic"]

    def filter_state(self, queryset, name, value):
        conditions = state_conditions()
        states, _label = PEOPLE_STATES[value]
        condition = conditions[states[0]]
        for state in states[1:]:
            condition |= conditions[state]
        return queryset.filter(condition)
