"""The demo's graduating intake: a past cohort graduates through the real services.

Runs the institutes and curriculum demos, then the graduates step on a small intake
(the checker is the real one: courses passed plus `training.clinical`), then the
staff demo's hiring of graduates and the certificates demo's graduation certificates.
"""

import io
import random

import pytest

from django.utils import timezone

from certificates import demo as certificates_demo
from certificates.models import IssuedDocument
from curriculum import demo as curriculum_demo
from institutes import demo as institutes_demo
from institutes.management.commands.load_demo_data import DemoContext
from students.models import EnrolmentEvent, EventKind, Student, StudentStatus
from students.services import graduation_requirements
from training.models import ClinicalHours, HoursStatus, Placement, StaffMember
from training.placements import demo_graduates
from training.staff.demo import _hire_graduates

pytestmark = pytest.mark.django_db


@pytest.fixture
def ctx(monkeypatch, settings):
    monkeypatch.setattr(demo_graduates, "SIZE", 2)
    # The demo runs with the real supervision grace: its past years are entered as
    # of the days they replay, not refused as long over.
    settings.PLACEMENT_SUPERVISION_GRACE_DAYS = 14
    context = DemoContext(stdout=io.StringIO(), rng=random.Random(7))
    institutes_demo.load(context)
    curriculum_demo.load(context)
    return context


def test_past_intake_graduates_and_is_hired_and_certified(ctx):
    demo_graduates.load_graduates(ctx)

    students = list(Student.objects.filter(cohort__intake_year=2020))
    assert len(students) == 2
    for student in students:
        assert student.status == StudentStatus.GRADUATED
        assert graduation_requirements(student) == []
        assert EnrolmentEvent.objects.filter(
            student=student, kind=EventKind.GRADUATED, academic_year=2024
        ).exists()
    # The clinical record was entered and approved day by day, in the past.
    hours = ClinicalHours.objects.filter(placement__student__in=students)
    assert hours.exists()
    assert not hours.exclude(status=HoursStatus.APPROVED).exists()
    assert not Placement.objects.filter(
        student__in=students, end_date__gte=timezone.localdate()
    ).exists()
    assert set(
        Placement.objects.filter(student__in=students).values_list(
            "block__year", flat=True
        )
    ) == {1, 2, 3, 4, 5}

    # Idempotent: a second run writes nothing.
    before = (Student.objects.count(), Placement.objects.count(), hours.count())
    demo_graduates.load_graduates(ctx)
    assert (Student.objects.count(), Placement.objects.count(), hours.count()) == (
        before
    )

    # The staff demo hires them at Karnak: the same Person is student and staff.
    hired = _hire_graduates(ctx, timezone.localdate())
    assert {m.person_id for m in hired} == {s.person_id for s in students}
    assert (
        StaffMember.objects.filter(
            person__student__status=StudentStatus.GRADUATED, hospital__code="karnak"
        ).count()
        == 2
    )

    # The certificates demo issues their graduation certificates.
    certificates_demo.load(ctx)
    issued = IssuedDocument.objects.filter(
        kind="students.graduation_certificate", replaced_at__isnull=True
    )
    assert sorted(issued.values_list("achievement_id", flat=True)) == sorted(
        s.pk for s in students
    )
