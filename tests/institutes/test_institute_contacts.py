"""An institute's own administrators change its contacts; the rest is the authority's."""

import pytest

from django.core.exceptions import PermissionDenied
from django.urls import reverse

from institutes.factories import HospitalFactory
from institutes.models import Institute
from institutes.services import INSTITUTE_CONTACT_FIELDS, institute_save

pytestmark = pytest.mark.django_db


def _full_post(institute, **overrides):
    data = {
        "code": institute.code,
        "name_ar": institute.name_ar,
        "name_en": institute.name_en,
        "hospital": institute.hospital_id,
        "founded_year": "",
        "intake_capacity": institute.intake_capacity,
        "director_name": institute.director_name,
        "phone": institute.phone,
        "email": institute.email,
        "address_ar": institute.address_ar,
        "address_en": institute.address_en,
    }
    data.update(overrides)
    return data


def test_the_admin_form_offers_only_the_contacts(client, world):
    client.force_login(world.a.admin)
    url = reverse("institutes:edit", args=[world.a.institute.pk])
    form = client.get(url).context["form"]
    assert set(form.fields) == set(INSTITUTE_CONTACT_FIELDS)


def test_the_admin_changes_contacts_but_posted_identity_is_ignored(client, world):
    institute = world.a.institute
    other = HospitalFactory(code="hosp-x")
    client.force_login(world.a.admin)
    response = client.post(
        reverse("institutes:edit", args=[institute.pk]),
        _full_post(
            institute,
            code="renamed",
            name_ar="اسم آخر",
            intake_capacity=999,
            hospital=other.pk,
            partner_hospitals=[other.pk],
            phone="0952 123 456",
        ),
    )
    assert response.status_code == 302
    institute.refresh_from_db()
    assert institute.phone == "0952 123 456"
    assert (institute.code, institute.intake_capacity) == ("inst-a", 60)
    assert institute.hospital == world.a.hospital
    assert not institute.partner_hospitals.exists()


def test_the_authority_changes_the_intake_capacity_through_the_form(client, world):
    institute = world.a.institute
    client.force_login(world.authority)
    url = reverse("institutes:edit", args=[institute.pk])
    assert "intake_capacity" in client.get(url).context["form"].fields
    response = client.post(url, _full_post(institute, intake_capacity=999))
    assert response.status_code == 302, response.context["form"].errors
    institute.refresh_from_db()
    assert institute.intake_capacity == 999


@pytest.mark.parametrize(
    "change",
    [
        {"intake_capacity": 999},
        {"code": "renamed"},
        {"name_ar": "اسم آخر"},
        {"name_en": "Other"},
    ],
)
def test_the_service_refuses_identity_changes_by_the_admin(world, change):
    institute = world.a.institute
    with pytest.raises(PermissionDenied):
        institute_save(institute=institute, by=world.a.admin, **change)
    stored = Institute.objects.get(pk=institute.pk)
    assert (stored.code, stored.intake_capacity) == ("inst-a", 60)


def test_the_service_refuses_new_hospitals_for_the_admin(world):
    institute = world.a.institute
    with pytest.raises(PermissionDenied):
        institute_save(institute=institute, by=world.a.admin, hospital=world.b.hospital)
    with pytest.raises(PermissionDenied):
        institute_save(
            institute=institute,
            by=world.a.admin,
            partner_hospitals=[world.b.hospital],
        )
    assert not institute.partner_hospitals.exists()


def test_the_service_takes_contacts_from_the_admin_and_all_from_the_authority(world):
    institute = world.a.institute
    institute_save(institute=institute, by=world.a.admin, email="isis@example.org")
    institute_save(
        institute=institute,
        by=world.authority,
        intake_capacity=80,
        partner_hospitals=[world.b.hospital],
    )
    institute.refresh_from_db()
    assert institute.email == "isis@example.org" and institute.intake_capacity == 80
    assert list(institute.partner_hospitals.all()) == [world.b.hospital]


def test_another_institute_admin_changes_nothing(world):
    with pytest.raises(PermissionDenied):
        institute_save(
            institute=world.a.institute, by=world.b.admin, phone="0100 000 0000"
        )
    assert Institute.objects.get(pk=world.a.institute.pk).phone != "0100 000 0000"


def test_an_institute_admin_changes_the_contacts_of_their_own(world):
    """Twin of the refusal above: the same administrator, the same service, own row."""
    institute_save(institute=world.b.institute, by=world.b.admin, phone="0100 000 0000")
    assert Institute.objects.get(pk=world.b.institute.pk).phone == "0100 000 0000"


def test_the_authority_adds_an_institute_with_partners_through_the_form(client, world):
    client.force_login(world.authority)
    data = _full_post(
        world.a.institute,
        code="inst-new",
        name_ar="معهد جديد",
        name_en="New institute",
        partner_hospitals=[world.b.hospital.pk],
    )
    response = client.post(reverse("institutes:add"), data)
    assert response.status_code == 302, response.context["form"].errors
    created = Institute.objects.get(code="inst-new")
    assert list(created.partner_hospitals.all()) == [world.b.hospital]
