"""The staff import follows the person-identity rule."""

import pytest

from django.core.exceptions import ValidationError

from institutes.models import IdentityChangeRequest
from students.factories import CohortFactory, StudentFactory
from training.factories import StaffMemberFactory
from training.models import StaffMember
from training.staff.importing import staff_import_commit, staff_import_preview

pytestmark = pytest.mark.django_db

HEADER = "الرقم الوظيفي,الرقم القومي,الاسم,الفئة الوظيفية,تاريخ التعيين,نوع التعاقد\n"


def _preview(world, side, line):
    data = (HEADER + line + "\n").encode()
    return staff_import_preview(
        data=data, filename="staff.csv", hospital=side.hospital, user=side.trainer
    )


def test_trainer_import_cannot_rename_a_student_of_another_institute(world):
    student = StudentFactory(
        cohort=CohortFactory(institute=world.a.institute, intake_year=2025)
    )
    person = student.person
    before = person.name_ar
    line = f"B-1,{person.national_id},اسم آخر,nurse,2024-01-01,contracted"
    preview = _preview(world, world.b, line)
    assert preview.links == 1
    with pytest.raises(ValidationError) as info:
        staff_import_commit(preview=preview, by=world.b.trainer)
    assert before not in " ".join(info.value.messages)
    assert not StaffMember.objects.exists()
    staff_import_commit(
        preview=_preview(world, world.b, line), by=world.b.trainer, confirm_link=True
    )
    person.refresh_from_db()
    assert person.name_ar == before
    staff = StaffMember.objects.get()
    assert staff.person == person and staff.employment_type == "contracted"
    assert IdentityChangeRequest.objects.get().changes["name_ar"]["to"] == "اسم آخر"


def test_trainer_import_renames_own_staff(world):
    staff = StaffMemberFactory(hospital=world.a.hospital, employee_number="A-1")
    line = f"A-1,{staff.person.national_id},اسم مصحح,nurse,2024-01-01,"
    preview = _preview(world, world.a, line)
    assert preview.links == 0
    staff_import_commit(preview=preview, by=world.a.trainer)
    staff.person.refresh_from_db()
    assert staff.person.name_ar == "اسم مصحح"
    assert not IdentityChangeRequest.objects.exists()
