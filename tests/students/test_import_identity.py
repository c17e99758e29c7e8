"""The students import follows the person-identity rule and says only that a person
exists elsewhere."""

import pytest

from institutes.models import IdentityChangeRequest
from institutes.services import PersonLinkNeedsConfirmation
from students.factories import CohortFactory, StudentFactory
from students.importing import build_preview, import_confirm, import_preview
from students.models import Student
from training.staff.factories import StaffMemberFactory

pytestmark = pytest.mark.django_db

HEADER = "الرقم القومي,الاسم,نوع الوثيقة,بلد الإصدار,تاريخ الميلاد,النوع\n"


def _csv(*lines):
    return (HEADER + "".join(line + "\n" for line in lines)).encode()


def test_a_student_elsewhere_is_not_named(world, cohort, cohort_b):
    other = StudentFactory(cohort=cohort_b)
    preview = build_preview(
        data=_csv(f"{other.person.national_id},منى,,,,"),
        filename="s.csv",
        user=world.a.admin,
        cohort=cohort,
        admitted=False,
    )
    (row,) = preview.rows
    text = " ".join(row.problems)
    assert row.state == "problem"
    assert other.student_number not in text
    assert world.b.institute.name_ar not in text
    assert other.person.name_ar not in text


def test_a_student_of_ones_own_institute_is_named(world, cohort):
    own = StudentFactory(
        cohort=CohortFactory(institute=world.a.institute, intake_year=2024)
    )
    preview = build_preview(
        data=_csv(f"{own.person.national_id},منى,,,,"),
        filename="s.csv",
        user=world.a.admin,
        cohort=cohort,
        admitted=False,
    )
    assert own.student_number in " ".join(preview.rows[0].problems)


def test_import_links_a_staff_member_of_another_hospital_only_on_confirmation(
    world, cohort
):
    person = StaffMemberFactory(hospital=world.b.hospital).person
    before = person.name_ar
    data = _csv(f"{person.national_id},اسم من الملف,,,,")
    preview = import_preview(
        data=data, filename="s.csv", user=world.a.admin, cohort=cohort, admitted=False
    )
    assert preview.link_count == 1 and preview.rows[0].links_elsewhere
    with pytest.raises(PersonLinkNeedsConfirmation):
        import_confirm(
            token=preview.token, user=world.a.admin, cohort_pk=cohort.pk, admitted=False
        )
    assert not Student.objects.exists()
    result = import_confirm(
        token=preview.token,
        user=world.a.admin,
        cohort_pk=cohort.pk,
        admitted=False,
        confirm_link=True,
    )
    assert result.written == 1
    person.refresh_from_db()
    assert person.name_ar == before
    assert Student.objects.get().person == person
    change = IdentityChangeRequest.objects.get()
    assert change.changes["name_ar"]["to"] == "اسم من الملف"
    assert change.requested_by == world.a.admin


def test_import_updates_a_person_wholly_in_scope(world, cohort):
    from training.staff.factories import PersonFactory

    person = PersonFactory()  # no record anywhere
    preview = import_preview(
        data=_csv(f"{person.national_id},اسم من الملف,,,,"),
        filename="s.csv",
        user=world.a.admin,
        cohort=cohort,
        admitted=False,
    )
    assert preview.link_count == 0
    import_confirm(
        token=preview.token, user=world.a.admin, cohort_pk=cohort.pk, admitted=False
    )
    person.refresh_from_db()
    assert person.name_ar == "اسم من الملف"
    assert not IdentityChangeRequest.objects.exists()


def test_import_of_passport_and_omani_rows(world, cohort):
    data = _csv(
        "N7654321,راج كومار,جواز سفر,IN,1996-02-03,ذكر",
        "12345678,سالم العبري,om_civil_number,,1995-01-01,m",
        "12345678,سالم العبري,om_civil_number,,1995-01-01,m",
        "A1,خطأ,passport,IN,1996-02-03,m",
    )
    preview = import_preview(
        data=data, filename="s.csv", user=world.a.admin, cohort=cohort, admitted=False
    )
    assert [r.state for r in preview.rows] == ["new", "new", "problem", "problem"]
    import_confirm(
        token=preview.token, user=world.a.admin, cohort_pk=cohort.pk, admitted=False
    )
    assert sorted(
        Student.objects.values_list(
            "person__documents__document_type", "person__documents__number"
        )
    ) == [("om_civil_number", "12345678"), ("passport", "N7654321")]
    again = build_preview(
        data=data, filename="s.csv", user=world.a.admin, cohort=cohort, admitted=False
    )
    assert again.unchanged_count == 2
