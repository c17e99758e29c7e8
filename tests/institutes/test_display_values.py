"""Back-office screens write people by name and empty values as one dash, in the
admin language: no "None", no bare username, no English "True"/"False"."""

import re

from django.urls import reverse

from institutes.factories import RoleAssignmentFactory, UserFactory, WardFactory
from institutes.models import RoleAssignment
from institutes.scoped_admin import ScopedInspectView


def _display(obj, field_name):
    view = ScopedInspectView()
    view.object = obj
    return view.get_field_display_value(
        field_name, RoleAssignment._meta.get_field(field_name)
    )


def test_inspect_writes_a_dash_for_an_empty_value(db):
    assignment = RoleAssignmentFactory()
    assert assignment.hospital is None
    assert _display(assignment, "hospital") == "—"


def test_inspect_writes_an_account_by_the_persons_name(db):
    user = UserFactory(username="admin.karnak", first_name="سلمى", last_name="حسن")
    assert _display(RoleAssignmentFactory(user=user), "user") == "سلمى حسن"


def test_boolean_cells_are_titled_in_the_admin_language(db, admin_client):
    WardFactory(is_active=True)
    admin_client.cookies["django_language"] = "ar"
    page = admin_client.get(reverse("wards:index")).content.decode()
    assert not re.search(r'w-sr-only">\s*(True|False|None)\s*<', page)
    assert re.search(r'w-sr-only">\s*نعم\s*<', page)


def test_site_name_is_in_the_admin_language(db, admin_client):
    admin_client.cookies["django_language"] = "ar"
    page = admin_client.get("/admin/").content.decode()
    assert "معاهد التمريض الفنية" in page
    assert "Technical Nursing Institutes" not in page


def test_identifier_cells_of_listings_never_wrap(db, admin_client):
    """A number like KARNAK-2021-0036 must not break at its hyphens on a phone."""
    from training.factories import StaffMemberFactory

    StaffMemberFactory(employee_number="TST-00000")
    page = admin_client.get(reverse("training_staff:index")).content.decode()
    assert re.search(r'<td class="ident">\s*TST-00000', page)
