"""The person-identity rule: a person's identity is changed only from a scope that
holds all of their records (authority staff always); otherwise the typed document is
linked on confirmation and the differences go to the authority as a request."""

import datetime

import pytest

from django.core.exceptions import PermissionDenied, ValidationError

from institutes.models import IdentityChangeRequest, IdentityChangeStatus, Person
from institutes.services import (
    PersonLinkNeedsConfirmation,
    identity_change_decide,
    person_upsert,
)
from students import services as student_services
from students.factories import CohortFactory, StudentFactory
from students.models import Student
from training.staff.factories import PersonFactory as StaffPersonFactory
from training.staff.factories import StaffMemberFactory
from training.staff.models import StaffMember
from training.staff.services import staff_member_save

pytestmark = pytest.mark.django_db

HIRED = datetime.date(2024, 1, 1)


@pytest.fixture
def cohort_a(world):
    return CohortFactory(institute=world.a.institute, intake_year=2025)


def _hire(side, person, *, by, name_ar="اسم جديد", number="N-1", **kwargs):
    return staff_member_save(
        by=by,
        national_id=person.national_id,
        name_ar=name_ar,
        hospital=side.hospital,
        employee_number=number,
        job_category="nurse",
        hire_date=HIRED,
        **kwargs,
    )


def test_trainer_cannot_rename_another_institutes_student(world, cohort_a):
    person = StudentFactory(cohort=cohort_a).person
    before = person.name_ar
    with pytest.raises(PersonLinkNeedsConfirmation) as info:
        _hire(world.b, person, by=world.b.trainer)
    # The refusal shows nothing the trainer did not type (no name, no institute).
    message = " ".join(info.value.messages)
    assert before not in message and world.a.institute.name_ar not in message
    assert not StaffMember.objects.exists()

    staff = _hire(world.b, person, by=world.b.trainer, confirm_link=True)
    person.refresh_from_db()
    assert staff.person == person
    assert person.name_ar == before
    change = IdentityChangeRequest.objects.get()
    assert change.changes["name_ar"] == {"from": before, "to": "اسم جديد"}
    # Leaving the Latin name empty is not a request to erase it.
    assert person.name_en and "name_en" not in change.changes
    assert change.requested_by == world.b.trainer
    assert change.status == IdentityChangeStatus.PENDING


def test_trainer_renames_a_person_whose_records_are_all_in_their_hospital(world):
    # A former employment of the same hospital (one active record per hospital).
    person = StaffMemberFactory(hospital=world.a.hospital, is_active=False).person
    _hire(world.a, person, by=world.a.trainer, number="N-2")
    person.refresh_from_db()
    assert person.name_ar == "اسم جديد"
    assert not IdentityChangeRequest.objects.exists()


def test_institute_admin_cannot_rename_a_staff_member_of_another_hospital(
    world, cohort_a
):
    person = StaffMemberFactory(hospital=world.b.hospital).person
    before = person.name_ar
    typed = {
        "cohort": cohort_a,
        "national_id": person.national_id,
        "name_ar": "طالبة باسم آخر",
        "by": world.a.admin,
    }
    with pytest.raises(PersonLinkNeedsConfirmation):
        student_services.student_register(**typed)
    assert not Student.objects.exists()

    student = student_services.student_register(**typed, confirm_link=True)
    person.refresh_from_db()
    assert student.person == person and person.name_ar == before
    assert IdentityChangeRequest.objects.get().changes["name_ar"]["to"] == (
        "طالبة باسم آخر"
    )


def test_institute_admin_renames_their_own_student(world, cohort_a):
    student = StudentFactory(cohort=cohort_a)
    person_upsert(
        by=world.a.admin,
        national_id=student.person.national_id,
        name_ar="الاسم المصحح",
        current=student.person,
    )
    student.person.refresh_from_db()
    assert student.person.name_ar == "الاسم المصحح"
    assert not IdentityChangeRequest.objects.exists()


def test_editing_own_record_of_a_shared_person_queues_the_rename(world, cohort_a):
    student = StudentFactory(cohort=cohort_a)
    StaffMemberFactory(person=student.person, hospital=world.b.hospital)
    before = student.person.name_ar
    # Already linked: no confirmation asked, but nothing of the person changes.
    person_upsert(
        by=world.a.admin,
        national_id=student.person.national_id,
        name_ar="الاسم المصحح",
        current=student.person,
    )
    student.person.refresh_from_db()
    assert student.person.name_ar == before
    assert IdentityChangeRequest.objects.filter(person=student.person).count() == 1


def test_authority_renames_a_shared_person(world, cohort_a):
    student = StudentFactory(cohort=cohort_a)
    StaffMemberFactory(person=student.person, hospital=world.b.hospital)
    person_upsert(
        by=world.authority,
        national_id=student.person.national_id,
        name_ar="اسم من الهيئة",
    )
    student.person.refresh_from_db()
    assert student.person.name_ar == "اسم من الهيئة"
    assert not IdentityChangeRequest.objects.exists()


def test_no_user_changes_nobodys_shared_person(world, cohort_a):
    person = StudentFactory(cohort=cohort_a).person
    with pytest.raises(PersonLinkNeedsConfirmation):
        person_upsert(by=None, national_id=person.national_id, name_ar="x")


def test_authority_approves_or_refuses_a_request(world, cohort_a):
    person = StudentFactory(cohort=cohort_a).person
    before = person.name_ar
    _hire(world.b, person, by=world.b.trainer, confirm_link=True)
    change = IdentityChangeRequest.objects.get()
    with pytest.raises(PermissionDenied):
        identity_change_decide(request=change, approve=True, by=world.a.admin)
    identity_change_decide(request=change, approve=True, by=world.authority)
    person.refresh_from_db()
    assert person.name_ar == "اسم جديد"
    change.refresh_from_db()
    assert (change.status, change.decided_by) == ("approved", world.authority)
    with pytest.raises(ValidationError):
        identity_change_decide(request=change, approve=False, by=world.authority)

    # The person leaves and is hired again (one active record per hospital).
    StaffMember.objects.filter(person=person).update(is_active=False)
    _hire(
        world.b,
        person,
        by=world.b.trainer,
        name_ar=before,
        number="N-9",
        confirm_link=True,
    )
    refused = IdentityChangeRequest.objects.get(status="pending")
    identity_change_decide(request=refused, approve=False, by=world.authority)
    person.refresh_from_db()
    assert person.name_ar == "اسم جديد"


def test_identity_change_screen_is_for_authority_only(world, cohort_a, client):
    from django.urls import reverse

    person = StudentFactory(cohort=cohort_a).person
    _hire(world.b, person, by=world.b.trainer, confirm_link=True)
    change = IdentityChangeRequest.objects.get()
    client.force_login(world.a.admin)
    # Wagtail turns the refusal into a redirect to the dashboard with a message.
    denied = client.get(reverse("identity_changes"))
    assert (
        denied.status_code in (302, 403) and "اسم جديد" not in denied.content.decode()
    )
    decide = reverse("identity_change_decision", args=[change.pk])
    assert client.post(decide, {"decision": "approve"}).status_code in (302, 403)
    change.refresh_from_db()
    assert change.status == "pending"
    client.force_login(world.authority)
    response = client.get(reverse("identity_changes"))
    assert response.status_code == 200
    assert "اسم جديد" in response.content.decode()
    assert client.post(decide, {"decision": "approve"}).status_code == 302
    person.refresh_from_db()
    assert person.name_ar == "اسم جديد"


def test_staff_form_asks_for_confirmation_then_links(world, cohort_a, client):
    from django.urls import reverse

    person = StudentFactory(cohort=cohort_a).person
    before = person.name_ar
    client.force_login(world.b.trainer)
    data = {
        "document_type": "eg_national_id",
        "document_number": person.national_id,
        "name_ar": "اسم مختلف",
        "hospital": world.b.hospital.pk,
        "employee_number": "B-7",
        "job_category": "nurse",
        "employment_type": "permanent",
        "hire_date": "2024-01-01",
    }
    response = client.post(reverse("training_staff:add"), data)
    assert response.status_code == 200
    assert "document_number" in response.context["form"].errors
    assert before not in response.content.decode()
    response = client.post(
        reverse("training_staff:add"), {**data, "confirm_link": "on"}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.name_ar == before
    assert StaffMember.objects.get(employee_number="B-7").person == person
    assert IdentityChangeRequest.objects.count() == 1


def test_student_form_renames_own_unshared_student(world, cohort_a, client):
    from django.urls import reverse

    person = StaffPersonFactory()  # no record anywhere yet
    client.force_login(world.a.admin)
    response = client.post(
        reverse("students:add"),
        {
            "cohort": cohort_a.pk,
            "document_type": "eg_national_id",
            "document_number": person.national_id,
            "name_ar": "اسم الطالبة",
            "governorate": "29",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    person.refresh_from_db()
    assert person.name_ar == "اسم الطالبة"
    assert Person.objects.count() == 1
