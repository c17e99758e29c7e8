"""The staff import uses the shared tabular import: preview, then all-or-nothing commit."""

import pytest

from django.urls import reverse

from institutes.factories import WardFactory
from institutes.models import Person
from training.factories import (
    PersonFactory,
    StaffMemberFactory,
    TopicFactory,
    make_national_id,
)
from training.models import StaffMember, StaffTopicStatus
from training.staff.importing import staff_import_commit, staff_import_preview

pytestmark = pytest.mark.django_db

HEADER = "الرقم الوظيفي,الرقم القومي,الاسم,Name (Latin),الفئة الوظيفية,القسم,تاريخ التعيين,رقم المدير\n"


def _csv(*lines):
    return (HEADER + "".join(line + "\n" for line in lines)).encode("utf-8-sig")


def test_preview_reports_problems_by_line_and_writes_nothing(world):
    WardFactory(hospital=world.a.hospital, name_ar="العناية المركزة")
    nid = make_national_id()
    data = _csv(
        f"A-1,{nid},منى أحمد,Mona Ahmed,ممرضة,العناية المركزة,2020-01-05,",
        "A-2,123,سعيد علي,,طبيب,قسم غير موجود,2020-01-05,A-9",
        f"A-3,{make_national_id()},=HYPERLINK(1),,nurse,,05/01/2021,",
    )
    preview = staff_import_preview(
        data=data, filename="staff.csv", hospital=world.a.hospital
    )
    rows = preview.table.rows
    assert rows[0].ok
    assert len(rows[1].problems) >= 3  # national ID, department, manager
    assert rows[2].problems  # formula cell
    assert preview.creates == 1
    assert not StaffMember.objects.exists()


def test_commit_creates_updates_and_links_people_and_managers(world):
    TopicFactory()
    graduate = PersonFactory(name_ar="خريجة سابقة")
    data = _csv(
        f"A-1,{graduate.national_id},خريجة سابقة,,ممرضة,,2024-09-01,",
        f"A-2,{make_national_id()},سعيد علي,,physician,,2019-03-01,A-1",
    )
    preview = staff_import_preview(
        data=data, filename="staff.csv", hospital=world.a.hospital
    )
    result = staff_import_commit(preview=preview)
    assert result.written == 2
    first = StaffMember.objects.get(employee_number="A-1")
    assert first.person == graduate  # one record of a human
    assert Person.objects.filter(national_id=graduate.national_id).count() == 1
    assert StaffMember.objects.get(employee_number="A-2").manager == first
    assert StaffTopicStatus.objects.filter(staff=first).exists()
    again = staff_import_commit(
        preview=staff_import_preview(
            data=data, filename="staff.csv", hospital=world.a.hospital
        )
    )
    assert (again.written, again.unchanged) == (0, 2)


def test_import_screen_is_scoped_to_own_hospitals(world, client):
    StaffMemberFactory(hospital=world.b.hospital, employee_number="B-1")
    client.force_login(world.a.trainer)
    url = reverse("training_staff_import")
    page = client.get(url).content.decode()
    assert world.b.hospital.name_ar not in page
    data = _csv(f"X-1,{make_national_id()},اسم,,nurse,,2020-01-01,")
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        url,
        {
            "hospital": world.b.hospital.pk,
            "file": SimpleUploadedFile("s.csv", data),
            "confirm": "1",
        },
    )
    assert response.status_code == 200
    assert not StaffMember.objects.filter(employee_number="X-1").exists()
    client.force_login(world.a.admin)
    assert client.get(url).status_code in (302, 403)


def test_import_screen_preview_then_confirm(world, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.a.trainer)
    url = reverse("training_staff_import")
    data = _csv(f"X-1,{make_national_id()},اسم موظف,,nurse,,2020-01-01,")
    preview = client.post(
        url,
        {"hospital": world.a.hospital.pk, "file": SimpleUploadedFile("s.csv", data)},
    )
    assert preview.status_code == 200 and not StaffMember.objects.exists()
    token = preview.context["token"]
    done = client.post(
        url, {"hospital": world.a.hospital.pk, "token": token, "confirm": "1"}
    )
    assert done.status_code == 302
    assert StaffMember.objects.get().employee_number == "X-1"


def test_confirmed_import_lands_on_the_staff_list_of_its_hospital(world, client):
    """Like the student import (which lands on the cohort): the imported rows."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    StaffMemberFactory(hospital=world.b.hospital, employee_number="B-9")
    client.force_login(world.a.trainer)
    url = reverse("training_staff_import")
    data = _csv(f"X-7,{make_national_id()},اسم موظف,,nurse,,2020-01-01,")
    preview = client.post(
        url,
        {"hospital": world.a.hospital.pk, "file": SimpleUploadedFile("s.csv", data)},
    )
    done = client.post(
        url,
        {
            "hospital": world.a.hospital.pk,
            "token": preview.context["token"],
            "confirm": "1",
        },
    )
    assert done["Location"] == (
        f"{reverse('training_staff:index')}?hospital={world.a.hospital.pk}"
    )
    listing = client.get(done["Location"]).content.decode()
    assert "X-7" in listing and "B-9" not in listing


def test_confirm_of_a_file_bigger_than_the_request_limit(world, client, settings):
    """The confirm carries a reference to the file kept on the server, not the file."""
    import os

    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4096
    data = _csv(
        *(
            f"B-{i},{make_national_id()},موظف {i},{os.urandom(50).hex()},nurse,,"
            "2020-01-01,"
            for i in range(30)
        )
    )
    assert len(data) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    client.force_login(world.a.trainer)
    url = reverse("training_staff_import")
    preview = client.post(
        url,
        {"hospital": world.a.hospital.pk, "file": SimpleUploadedFile("s.csv", data)},
    )
    token = preview.context["token"]
    done = client.post(
        url, {"hospital": world.a.hospital.pk, "token": token, "confirm": "1"}
    )
    assert done.status_code == 302
    assert StaffMember.objects.count() == 30
    # Confirmed once: the kept file is gone, a second confirm imports nothing.
    again = client.post(
        url, {"hospital": world.a.hospital.pk, "token": token, "confirm": "1"}
    )
    assert again.status_code == 200
    assert StaffMember.objects.count() == 30


def test_an_impossible_hospital_id_is_a_form_error(world, client):
    client.force_login(world.a.trainer)
    response = client.post(
        reverse("training_staff_import"), {"hospital": "9" * 25, "token": "x"}
    )
    assert response.status_code == 200
    assert "hospital" in response.context["form"].errors
