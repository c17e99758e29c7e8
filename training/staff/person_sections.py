"""The staff side of the person page: employment, mandatory training, compliance
(with the induction's due dates), and hiring a graduate.

Registered with `institutes.person_record` from the wing's hooks. Every row is
scoped by `institutes.access` (a trainer sees the staff records of their own
hospitals); a fixed number of queries whatever the length of the history.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from institutes import access
from institutes.person_record import STAFF_SIDE, PersonSection

from .compliance import State
from .models import Attendance, InductionTopic, StaffMember, StaffTopicStatus
from .selectors import row_state


def _hire_section(person, user) -> PersonSection | None:
    """The "Hire this graduate" form, for a graduate with no active staff record and
    a user who may add staff somewhere: authority staff, or a trainer of a hospital
    the graduate's institute is attached to or partnered with (who then sees the
    name and this form, nothing of the student record). Three queries, only for
    users who may add staff."""
    if not access.user_may(user, "add", StaffMember):
        return None
    from django.db.models import Q

    from students.models import Student, StudentStatus

    graduates = Student.objects.filter(person=person, status=StudentStatus.GRADUATED)
    scope = access.scope_for(user)
    if not scope.is_authority:
        # A trainer finds the graduates of the institutes attached to or partnered
        # with their hospitals (name only), to hire them.
        ids = sorted(scope.ids_for("hospital"))
        graduates = graduates.filter(
            Q(cohort__institute__hospital__in=ids)
            | Q(cohort__institute__partner_hospitals__in=ids)
        )
    graduated = graduates.exists()
    if (
        not graduated
        or StaffMember.objects.filter(person=person, is_active=True).exists()
    ):
        return None
    from .forms import GraduateHireForm

    form = GraduateHireForm(user=user)
    if not form.fields["hospital"].queryset.exists():
        return None
    return PersonSection(
        key="hire",
        order=450,
        side=STAFF_SIDE,
        title=_("Hire this graduate"),
        template_name="training/staff/person/hire.html",
        context={"form": form, "person": person},
        identity=False,
    )


def staff_sections(person, user) -> list[PersonSection]:
    """Employment (500), mandatory training (600), compliance (700); the hire form
    (450) for a graduate not yet on staff."""
    staff = list(
        access.filter_for(
            StaffMember.objects.filter(person=person).select_related(
                "hospital", "ward"
            ),
            user,
            "view",
        ).order_by("-is_active", "-hire_date", "pk")
    )
    sections = []
    if not any(s.is_active for s in staff):
        hire = _hire_section(person, user)
        if hire is not None:
            sections.append(hire)
    if not staff:
        return sections
    attendance = list(
        access.filter_for(
            Attendance.objects.filter(staff__person=person).select_related(
                "topic", "session__hospital"
            ),
            user,
            "view",
        ).order_by("-completed_on", "-pk")
    )
    statuses = list(
        access.filter_for(
            StaffTopicStatus.objects.filter(staff__person=person).select_related(
                "topic", "staff__hospital"
            ),
            user,
            "view",
        ).order_by("staff__hospital__name_ar", "grace_until", "topic__code")
    )
    induction = {
        (category, topic_id): months
        for category, topic_id, months in InductionTopic.objects.filter(
            job_category__in={s.job_category for s in staff}
        ).values_list("job_category", "topic_id", "months_to_complete")
    }
    category = {s.pk: s.job_category for s in staff}
    rows = []
    for row in statuses:
        state = row_state(row)
        months = induction.get((category.get(row.staff_id), row.topic_id))
        never = state.state in (State.NEVER, State.GRACE)
        rows.append(
            {
                "row": row,
                "state": state,
                "induction_months": months,
                "due": row.grace_until if never else row.valid_until,
            }
        )
    return [
        *sections,
        PersonSection(
            key="employment",
            order=500,
            side=STAFF_SIDE,
            title=_("Employment"),
            template_name="training/staff/person/employment.html",
            context={"staff": staff},
        ),
        PersonSection(
            key="training",
            order=600,
            side=STAFF_SIDE,
            title=_("Mandatory training"),
            template_name="training/staff/person/attendance.html",
            context={"attendance": attendance},
        ),
        PersonSection(
            key="compliance",
            order=700,
            side=STAFF_SIDE,
            title=_("Compliance and induction"),
            template_name="training/staff/person/compliance.html",
            context={"rows": rows, "several": len(staff) > 1},
        ),
    ]
