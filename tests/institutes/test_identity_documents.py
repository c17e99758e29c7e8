"""Identity documents: each type's own checks, one owner per document, people with an
Omani civil number or a passport enrolled as students and hired as staff."""

import datetime

import pytest

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from institutes.identity import (
    DocumentInput,
    DocumentType,
    check_document,
    document_type_choices,
)
from institutes.models import IdentityDocument, Person
from institutes.services import person_find, person_upsert
from students import services as student_services
from students.factories import CohortFactory
from students.models import Student
from training.staff.models import StaffMember
from training.staff.services import staff_member_save

pytestmark = pytest.mark.django_db

OMANI = DocumentInput(DocumentType.OMANI_CIVIL_NUMBER, "١٢٣٤٥٦٧٨", "")
PASSPORT = DocumentInput(
    DocumentType.PASSPORT, "p 1234567", "IN", datetime.date(2030, 1, 1)
)
BORN = datetime.date(1995, 4, 2)


@pytest.mark.parametrize(
    ("document", "field", "words"),
    [
        (DocumentInput("eg_national_id", "12345", "EG"), "document_number", "14"),
        (
            DocumentInput("eg_national_id", "29001012900111", "OM"),
            "document_country",
            "Egypt",
        ),
        (DocumentInput("om_civil_number", "12ab5", ""), "document_number", "6 to 9"),
        (
            DocumentInput("om_civil_number", "1234567890", ""),
            "document_number",
            "6 to 9",
        ),
        (DocumentInput("passport", "A1", "IN"), "document_number", "5 to 12"),
        (DocumentInput("passport", "A1234567", ""), "document_country", "country"),
        (DocumentInput("passport", "A1234567", "XX"), "document_country", "country"),
        (DocumentInput("residence_card", "000000", "OM"), "document_number", "5 to 15"),
        (
            DocumentInput("eg_national_id", "29001012900111", "EG", BORN),
            "document_expires_on",
            "no expiry",
        ),
        (DocumentInput("ration_card", "1", "EG"), "document_type", "type"),
    ],
)
def test_each_document_type_explains_what_is_wrong(document, field, words):
    with translation.override("en"):
        with pytest.raises(ValidationError) as info:
            check_document(document)
        text = " ".join(info.value.message_dict[field])
    assert words in text


def test_valid_documents_are_normalised():
    assert check_document(OMANI).key == ("om_civil_number", "OM", "12345678")
    checked = check_document(PASSPORT)
    assert checked.key == ("passport", "IN", "P1234567")
    assert checked.expires_on == datetime.date(2030, 1, 1)
    egyptian = check_document(DocumentInput("eg_national_id", "29001012900111", ""))
    assert (egyptian.country, egyptian.birth_date) == ("EG", datetime.date(1990, 1, 1))


def test_a_document_belongs_to_one_person_only(world):
    first = person_upsert(
        by=world.authority, document=OMANI, name_ar="سالم", birth_date=BORN, sex="m"
    )
    second = person_upsert(
        by=world.authority, document=PASSPORT, name_ar="راج", birth_date=BORN, sex="m"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        IdentityDocument.objects.create(
            person=second,
            document_type="om_civil_number",
            country="OM",
            number="12345678",
        )
    # The same number of another type or country is another document.
    IdentityDocument.objects.create(
        person=second, document_type="passport", country="OM", number="12345678"
    )
    assert (
        person_find(document_type="om_civil_number", country="", number="12345678")
        == first
    )


def test_egyptian_national_id_from_another_country_is_refused_by_the_database(world):
    person = person_upsert(
        by=world.authority, document=OMANI, name_ar="سالم", birth_date=BORN, sex="m"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        IdentityDocument.objects.create(
            person=person,
            document_type="eg_national_id",
            country="OM",
            number="29001012900111",
        )


def test_other_documents_need_birth_date_and_sex(world):
    with pytest.raises(ValidationError) as info:
        person_upsert(by=world.authority, document=PASSPORT, name_ar="راج")
    assert {"birth_date", "sex"} <= set(info.value.message_dict)
    assert not Person.objects.exists()


def test_omani_and_passport_holders_are_enrolled_and_hired_through_the_services(
    world,
):
    cohort = CohortFactory(institute=world.a.institute, intake_year=2025)
    for number, document in enumerate((OMANI, PASSPORT)):
        student = student_services.student_register(
            cohort=cohort,
            document=document,
            name_ar=f"طالب {number}",
            birth_date=BORN,
            sex="m",
            nationality="OM" if document is OMANI else "IN",
            by=world.a.admin,
        )
        assert student.person.national_id is None
        staff = staff_member_save(
            by=world.authority,
            document=document,
            name_ar=f"طالب {number}",
            birth_date=BORN,
            sex="m",
            hospital=world.b.hospital,
            employee_number=f"X-{number}",
            job_category="nurse",
            employment_type="contracted",
            hire_date=datetime.date(2024, 1, 1),
        )
        assert staff.person == student.person
    assert Person.objects.count() == 2
    assert set(Person.objects.values_list("nationality", flat=True)) == {"OM", "IN"}
    assert (
        Student.objects.get(person__documents__document_type="passport").national_id
        == "P1234567"
    )


@pytest.mark.parametrize(
    "document",
    [
        {"document_type": "om_civil_number", "document_number": "87654321"},
        {
            "document_type": "passport",
            "document_number": "N7654321",
            "document_country": "PH",
            "document_expires_on": "2031-05-01",
        },
    ],
)
def test_omani_and_passport_holders_through_the_admin_forms(world, client, document):
    cohort = CohortFactory(institute=world.a.institute, intake_year=2025)
    person = {
        **document,
        "name_ar": "اسم الشخص",
        "birth_date": "1996-02-03",
        "sex": "f",
        "nationality": "OM" if document["document_type"] == "om_civil_number" else "PH",
    }
    client.force_login(world.a.admin)
    response = client.post(
        reverse("students:add"), {**person, "cohort": cohort.pk, "governorate": "29"}
    )
    assert response.status_code == 302, response.context["form"].errors
    page = client.get(reverse("students:inspect", args=[Student.objects.get().pk]))
    assert document["document_number"] in page.content.decode()
    client.force_login(world.authority)
    response = client.post(
        reverse("training_staff:add"),
        {
            **person,
            "hospital": world.b.hospital.pk,
            "employee_number": "V-1",
            "job_category": "nurse",
            "employment_type": "visiting_trainer",
            "hire_date": "2024-01-01",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    staff = StaffMember.objects.get(employee_number="V-1")
    assert Student.objects.get().person == staff.person
    assert staff.employment_type == "visiting_trainer"
    document_row = staff.person.documents.get()
    assert document_row.number == document["document_number"]
    if "document_expires_on" in document:
        assert document_row.expires_on == datetime.date(2031, 5, 1)


def test_passport_without_birth_date_is_refused_by_the_form_keeping_the_input(
    world, client
):
    cohort = CohortFactory(institute=world.a.institute, intake_year=2025)
    client.force_login(world.a.admin)
    response = client.post(
        reverse("students:add"),
        {
            "cohort": cohort.pk,
            "document_type": "passport",
            "document_number": "N7654321",
            "document_country": "PH",
            "name_ar": "اسم",
            "governorate": "29",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "birth_date" in errors and "sex" in errors
    assert 'value="N7654321"' in response.content.decode()
    assert not Person.objects.exists()


def test_the_deployment_chooses_the_document_offered_first(world, client, settings):
    settings.IDENTITY_DEFAULT_DOCUMENT_TYPE = "om_civil_number"
    settings.IDENTITY_DEFAULT_COUNTRY = "OM"
    assert document_type_choices()[0][0] == "om_civil_number"
    client.force_login(world.a.admin)
    form = client.get(reverse("students:add")).context["form"]
    assert form.fields["document_type"].choices[0][0] == "om_civil_number"
    assert form["document_type"].value() == "om_civil_number"
    assert form["nationality"].value() == "OM"


def test_student_list_of_passport_holders_does_not_grow(world, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cohort = CohortFactory(institute=world.a.institute, intake_year=2025)

    def add(n):
        for i in range(n):
            student_services.student_register(
                cohort=cohort,
                document=DocumentInput(
                    "passport", f"Q{Student.objects.count():07d}", "IN"
                ),
                name_ar=f"طالب {i}",
                birth_date=BORN,
                sex="m",
                by=world.a.admin,
            )

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("students:index"))
        assert response.status_code == 200
        return len(queries)

    client.force_login(world.a.admin)
    add(2)
    few = count()
    add(8)
    assert count() == few
    assert "Q0000009" in client.get(reverse("students:index")).content.decode()
