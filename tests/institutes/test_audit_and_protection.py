"""Back-office writes leave an audit entry; records people depend on can't be deleted."""

import pytest

from django.db.models import ProtectedError
from django.urls import reverse

from wagtail.models import ModelLogEntry

from institutes.models import Hospital


def test_edit_in_the_back_office_is_logged_with_who(world, client):
    client.force_login(world.authority)
    hospital = world.a.hospital
    url = reverse("hospitals:edit", args=[hospital.pk])
    form = client.get(url).context["form"]
    data = {
        name: "" if form.initial.get(name) is None else form.initial[name]
        for name in form.fields
    }
    data.update(name_en="Renamed hospital")
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    entry = ModelLogEntry.objects.filter(object_id=str(hospital.pk)).latest("timestamp")
    assert entry.action == "wagtail.edit"
    assert entry.user == world.authority


def test_hospital_with_an_institute_cannot_be_deleted(world, client):
    with pytest.raises(ProtectedError):
        world.a.hospital.delete()
    client.force_login(world.authority)
    url = reverse("hospitals:delete", args=[world.a.hospital.pk])
    client.post(url)
    assert Hospital.objects.filter(pk=world.a.hospital.pk).exists()


def test_institute_admin_may_update_own_institute_contacts(world, client):
    client.force_login(world.a.admin)
    url = reverse("institutes:edit", args=[world.a.institute.pk])
    response = client.get(url)
    assert response.status_code == 200
    form = response.context["form"]
    data = {}
    for name in form.fields:
        value = form.initial.get(name)
        if isinstance(value, list):
            data[name] = [getattr(v, "pk", v) for v in value]
        elif value is not None:
            data[name] = getattr(value, "pk", value)
    data["phone"] = "095 000 1111"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    world.a.institute.refresh_from_db()
    assert world.a.institute.phone == "095 000 1111"
