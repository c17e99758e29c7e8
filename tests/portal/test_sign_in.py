"""The portal's door: a code sent to the person, checked, expired, locked, limited,
and the same answer whether a number is known or not."""

import datetime

import pytest

from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from portal.models import EventKind, PortalEvent, SignInCode
from portal.views import PERSON_KEY

from .conftest import last_code, request_code, sign_in

UNKNOWN = "30001010101234"  # a well-formed national ID nobody holds


def test_the_right_code_signs_the_student_in(client, portal):
    person = portal.student.person
    response = request_code(client, person)
    assert response.url == reverse("portal:sign_in_code")
    sms = Notification.objects.get(template="portal/sign_in_code")
    assert (sms.channel, sms.address) == ("sms", person.phone)
    code = SignInCode.objects.get(person=person)
    assert last_code() not in code.digest  # stored as a keyed hash only
    response = client.post(reverse("portal:sign_in_code"), {"code": last_code()})
    assert response.url == reverse("portal:home")
    assert client.session[PERSON_KEY] == person.pk
    page = client.get(reverse("portal:home")).content.decode()
    assert person.name in page
    assert PortalEvent.objects.filter(person=person, kind=EventKind.SIGNED_IN).exists()


def test_arabic_indic_digits_in_the_code_are_read(client, portal):
    person = portal.student.person
    request_code(client, person)
    arabic = last_code().translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    response = client.post(reverse("portal:sign_in_code"), {"code": arabic})
    assert response.url == reverse("portal:home")


def test_a_staff_member_gets_the_code_by_e_mail(client, portal):
    person = portal.staff.person
    request_code(client, person)
    sent = Notification.objects.get(template="portal/sign_in_code")
    assert (sent.channel, sent.address) == ("email", "nurse@hospital.example")
    sign_in_response = client.post(
        reverse("portal:sign_in_code"), {"code": last_code()}
    )
    assert sign_in_response.url == reverse("portal:home")


def test_a_wrong_code_is_refused_with_tries_left_then_the_right_one_works(
    client, portal
):
    person = portal.student.person
    request_code(client, person)
    right = last_code()
    wrong = "000000" if right != "000000" else "111111"
    response = client.post(reverse("portal:sign_in_code"), {"code": wrong})
    assert response.status_code == 200
    assert "Tries left: 4" in response.content.decode()
    assert PERSON_KEY not in client.session
    assert (
        PortalEvent.objects.filter(person=person, kind=EventKind.WRONG_CODE).count()
        == 1
    )
    # Its twin: the right code through the same door.
    response = client.post(reverse("portal:sign_in_code"), {"code": right})
    assert response.url == reverse("portal:home")


def test_an_expired_code_is_refused_and_a_fresh_one_works(client, portal):
    person = portal.student.person
    request_code(client, person)
    old = last_code()
    SignInCode.objects.filter(person=person).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = client.post(reverse("portal:sign_in_code"), {"code": old}, follow=True)
    assert "expired" in response.content.decode()
    assert PERSON_KEY not in client.session
    sign_in(client, person)
    assert client.session[PERSON_KEY] == person.pk


def test_five_wrong_codes_lock_the_code_even_the_right_one(client, portal):
    person = portal.student.person
    request_code(client, person)
    right = last_code()
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(4):
        client.post(reverse("portal:sign_in_code"), {"code": wrong})
    response = client.post(reverse("portal:sign_in_code"), {"code": wrong}, follow=True)
    assert "Too many wrong codes" in response.content.decode()
    assert SignInCode.objects.get(person=person).attempts == 5
    # The locked code stays locked, even typed right (through the service directly).
    from portal.services import sign_in_code_check

    code = SignInCode.objects.get(person=person)
    assert (
        sign_in_code_check(code_id=code.pk, typed=right, client="x").reason == "locked"
    )
    assert PortalEvent.objects.filter(person=person, kind=EventKind.LOCKED).exists()
    # Its twin: a new code signs in.
    sign_in(client, person)


def test_a_new_code_replaces_the_previous_one(client, portal):
    from portal.services import sign_in_code_check

    person = portal.student.person
    request_code(client, person)
    first_row = SignInCode.objects.get(person=person)
    first = last_code()
    request_code(client, person)
    assert sign_in_code_check(code_id=first_row.pk, typed=first, client="x").reason == (
        "expired"
    )
    # Its twin: the newest code signs in.
    response = client.post(reverse("portal:sign_in_code"), {"code": last_code()})
    assert response.url == reverse("portal:home")


def test_unknown_and_known_numbers_get_the_same_answer(client, portal):
    known = request_code(client, portal.student.person)
    known_page = client.get(known.url).content.decode()
    other = client.__class__()
    unknown = request_code(other, UNKNOWN)
    unknown_page = other.get(unknown.url).content.decode()
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url

    def text(page):
        return page.split('name="csrfmiddlewaretoken"')[0]

    assert text(known_page) == text(unknown_page)
    assert Notification.objects.filter(template="portal/sign_in_code").count() == 1
    # A wrong code for the unknown number reads like one for a known number.
    wrong_known = client.post(reverse("portal:sign_in_code"), {"code": "999999"})
    wrong_unknown = other.post(reverse("portal:sign_in_code"), {"code": "999999"})
    assert "Tries left: 4" in wrong_known.content.decode()
    assert "Tries left: 4" in wrong_unknown.content.decode()
    logged = PortalEvent.objects.filter(person=None, kind=EventKind.CODE_REQUESTED)
    assert UNKNOWN not in logged.get().detail


def test_a_person_without_student_or_staff_record_gets_no_code(client, portal):
    from students.factories import PersonFactory

    stranger = PersonFactory(phone="01099999999")
    request_code(client, stranger)
    assert not Notification.objects.filter(template="portal/sign_in_code").exists()
    # Its twin: a student with a record gets one.
    request_code(client, portal.student.person)
    assert Notification.objects.filter(template="portal/sign_in_code").count() == 1


def test_malformed_numbers_and_codes_get_a_clear_message(client, portal):
    response = client.post(
        reverse("portal:sign_in"),
        {"number": "", "document_type": "eg_national_id", "country": "EG"},
    )
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    for number in ("abc\x00", "9" * 30, "<script>"):
        response = client.post(
            reverse("portal:sign_in"),
            {"number": number, "document_type": "nonsense", "country": "ZZ"},
        )
        assert response.status_code == 200
    response = request_code(client, "٣٠٠٠١٠١٠١٠١٢٣٤")
    assert response.status_code == 302
    response = client.post(reverse("portal:sign_in_code"), {"code": "x" * 50})
    assert response.status_code == 200


@override_settings(PORTAL_SIGN_IN_RATE=(3, 600))
def test_code_requests_are_rate_limited_per_client(client, portal):
    for _ in range(3):
        assert request_code(client, UNKNOWN).status_code == 302
    response = request_code(client, portal.student.person)
    assert response.status_code == 429
    assert "Too many requests" in response.content.decode()
    assert not Notification.objects.filter(template="portal/sign_in_code").exists()
    assert PortalEvent.objects.filter(kind=EventKind.RATE_LIMITED).exists()
    # Its twin: another client address is not held back.
    other = client.__class__(REMOTE_ADDR="203.0.113.9")
    assert request_code(other, portal.student.person).status_code == 302
    assert Notification.objects.filter(template="portal/sign_in_code").count() == 1


def test_codes_per_person_are_limited_per_hour(client, portal):
    person = portal.student.person
    for index in range(5):
        other = client.__class__(REMOTE_ADDR=f"203.0.113.{index + 1}")
        request_code(other, person)
    assert Notification.objects.filter(template="portal/sign_in_code").count() == 3


def test_a_portal_session_grants_no_admin_access(client, portal, django_user_model):
    from institutes.access import Role
    from institutes.factories import RoleAssignmentFactory

    person = portal.student.person
    sign_in(client, person)
    account_user = django_user_model.objects.get(username=f"portal.{person.pk}")
    assert not account_user.is_active and not account_user.has_usable_password()
    # Even a role given to the signing user opens nothing: it cannot sign in.
    RoleAssignmentFactory(
        user=account_user, role=Role.INSTITUTE_ADMIN, institute=portal.site.institute
    )
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response.url
    assert "_auth_user_id" not in client.session


def test_idle_sessions_end(client, portal):
    sign_in(client, portal.student.person)
    session = client.session
    session["portal.seen"] -= 31 * 60
    session.save()
    response = client.get(reverse("portal:home"))
    assert response.url == reverse("portal:sign_in")
    assert PERSON_KEY not in client.session


def test_sign_out_ends_the_portal_session(client, portal):
    sign_in(client, portal.student.person)
    assert client.get(reverse("portal:home")).status_code == 200
    client.post(reverse("portal:sign_out"))
    assert client.get(reverse("portal:home")).url == reverse("portal:sign_in")


@pytest.mark.parametrize("name", ["home", "hours", "documents", "training", "activity"])
def test_pages_send_visitors_to_the_door(client, portal, name):
    response = client.get(reverse(f"portal:{name}"))
    assert response.status_code == 302
    assert response.url == reverse("portal:sign_in")
