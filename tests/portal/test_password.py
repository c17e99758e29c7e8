"""The optional portal password: set and removed on the settings page, then the
number + password door, its generic refusals and the lockout it shares with codes."""

from types import SimpleNamespace

from django.urls import reverse

from portal.models import EventKind, PortalAccount, PortalEvent
from portal.views import PERSON_KEY

from .conftest import enter, number_of

GOOD = "Nakhla-Karnak-2026"
GENERIC = "The number or the password is not right"


def set_password(client, person, password=GOOD, again=None):
    enter(client, person)
    return client.post(
        reverse("portal:settings"),
        {"password1": password, "password2": again or password},
    )


def with_password(client, number, password):
    return client.post(
        reverse("portal:sign_in_password"),
        {
            "pw-number": number,
            "pw-document_type": "eg_national_id",
            "pw-country": "EG",
            "pw-password": password,
        },
    )


def test_a_password_set_signs_the_person_in_with_their_number(client, portal):
    person = portal.student.person
    response = set_password(client, person)
    assert response.status_code == 302
    assert PortalAccount.objects.get(person=person).password.startswith("md5$")
    activity = client.get(reverse("portal:activity")).content.decode()
    assert "Password set" in activity
    client.post(reverse("portal:sign_out"))
    assert PERSON_KEY not in client.session
    response = with_password(client, number_of(person), GOOD)
    assert response.status_code == 302 and response.url == reverse("portal:home")
    assert client.session[PERSON_KEY] == person.pk
    assert PortalEvent.objects.filter(
        person=person, kind=EventKind.SIGNED_IN_WITH_PASSWORD
    ).exists()


def test_the_sign_in_page_offers_both_ways_in(client, portal):
    page = client.get(reverse("portal:sign_in")).content.decode()
    assert reverse("portal:sign_in_password") in page
    assert 'name="pw-password"' in page and 'autocomplete="current-password"' in page
    assert "Send me a code" in page


def test_django_validators_refuse_a_weak_password_in_both_languages(client, portal):
    person = portal.student.person
    response = set_password(client, person, password="12345678")
    assert response.status_code == 200
    text = response.content.decode()
    assert "too short" in text and "entirely numeric" in text
    assert not PortalAccount.objects.get(person=person).password
    # Two different typings are refused too; its twin, the same twice, is saved.
    response = set_password(client, person, again=GOOD + "x")
    assert "not the same" in response.content.decode()
    assert set_password(client, person).status_code == 302
    assert PortalAccount.objects.get(person=person).password
    # The same refusal on the Arabic page is all in Arabic (Django's own wording
    # of "too short" has no Arabic in Django 5.2: institutes.passwords has it).
    response = client.post(
        "/ar/my/settings/", {"password1": "12345678", "password2": "12345678"}
    )
    arabic = response.content.decode()
    assert "قصيرة جدًا" in arabic and "This password" not in arabic
    assert "كلمة المرور الجديدة" in arabic


def test_a_wrong_password_is_refused_like_an_unknown_number(client, portal):
    person = portal.student.person
    set_password(client, person)
    client.post(reverse("portal:sign_out"))
    wrong = with_password(client, number_of(person), "Not-the-password-1")
    unknown = with_password(client.__class__(), "30001010101234", GOOD)
    assert wrong.status_code == unknown.status_code == 200
    assert GENERIC in wrong.content.decode() and GENERIC in unknown.content.decode()

    def error(response):
        return (
            response.content.decode().split('id="password-error"')[1].split("</ul>")[0]
        )

    assert error(wrong) == error(unknown)
    assert PERSON_KEY not in client.session
    assert PortalEvent.objects.filter(
        person=person, kind=EventKind.WRONG_PASSWORD
    ).exists()
    anonymous = PortalEvent.objects.get(person=None, kind=EventKind.WRONG_PASSWORD)
    assert "30001010101234" not in anonymous.detail


def test_wrong_passwords_lock_the_number_even_the_right_password(
    client, portal, monkeypatch
):
    import time

    person = portal.student.person
    set_password(client, person)
    client.post(reverse("portal:sign_out"))
    number = number_of(person)
    for _ in range(4):
        assert GENERIC in with_password(client, number, "nope").content.decode()
    response = with_password(client, number, "nope")
    assert "Too many wrong passwords" in response.content.decode()
    assert PortalEvent.objects.filter(
        person=person, kind=EventKind.PASSWORD_LOCKED
    ).exists()
    # Within the lock period even the right password is refused.
    response = with_password(client, number, GOOD)
    assert "Too many wrong passwords" in response.content.decode()
    assert PERSON_KEY not in client.session
    # An unknown number locks the same way after the same number of tries.
    other = client.__class__(REMOTE_ADDR="203.0.113.7")
    for _ in range(5):
        response = with_password(other, "30001010101234", "nope")
    assert "Too many wrong passwords" in response.content.decode()
    # Its twin: once the lock period (the code's lifetime) is over, the right
    # password signs in.
    later = time.time() + 10 * 60 + 1
    monkeypatch.setattr(
        "django.core.cache.backends.locmem.time",
        SimpleNamespace(time=lambda: later),
    )
    response = with_password(client, number, GOOD)
    assert response.status_code == 302 and response.url == reverse("portal:home")


def test_removing_the_password_stops_password_sign_in(client, portal):
    person = portal.student.person
    set_password(client, person)
    response = client.post(reverse("portal:password_remove"), follow=True)
    assert "You sign in with a code only" in response.content.decode()
    assert PortalAccount.objects.get(person=person).password == ""
    assert "Password removed" in client.get(reverse("portal:activity")).content.decode()
    client.post(reverse("portal:sign_out"))
    response = with_password(client, number_of(person), GOOD)
    assert GENERIC in response.content.decode()
    assert PERSON_KEY not in client.session


def test_a_person_without_a_password_cannot_sign_in_by_password(client, portal):
    staff = portal.staff.person
    enter(client, staff)  # has an account (signed in by code), never set a password
    client.post(reverse("portal:sign_out"))
    for password in ("", "Nakhla-Karnak-2026", "!"):
        response = with_password(client, number_of(staff), password)
        assert response.status_code == 200
        assert PERSON_KEY not in client.session
    # Its twin: the same person after setting a password.
    set_password(client, staff)
    client.post(reverse("portal:sign_out"))
    assert with_password(client, number_of(staff), GOOD).status_code == 302


def test_a_portal_password_opens_no_admin_door(client, portal, django_user_model):
    person = portal.student.person
    set_password(client, person)
    user = django_user_model.objects.get(username=f"portal.{person.pk}")
    assert not user.is_active and not user.has_usable_password()
    assert not user.check_password(GOOD)
    admin = client.__class__()
    response = admin.post(
        reverse("wagtailadmin_login"),
        {"username": user.username, "password": GOOD},
    )
    assert "_auth_user_id" not in admin.session
    assert admin.get("/admin/").status_code == 302
    # The portal session carries no back-office login either.
    client.post(reverse("portal:sign_out"))
    with_password(client, number_of(person), GOOD)
    assert client.session[PERSON_KEY] == person.pk
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302
    assert response.status_code in (200, 302, 403)


def test_password_tries_share_the_per_device_check_limit(client, portal):
    from django.core.cache import cache

    cache.set("cms:rate:portal-check:127.0.0.1", 30, 600)
    response = with_password(client, "30001010101234", GOOD)
    assert response.status_code == 429
    assert PortalEvent.objects.filter(kind=EventKind.RATE_LIMITED).exists()
    # Its twin: another device is not held back.
    other = client.__class__(REMOTE_ADDR="203.0.113.9")
    assert with_password(other, "30001010101234", GOOD).status_code == 200


def test_settings_and_password_sign_in_are_for_the_signed_in_and_the_door(
    client, portal
):
    assert client.get(reverse("portal:settings")).url == reverse("portal:sign_in")
    assert client.post(reverse("portal:password_remove")).url == reverse(
        "portal:sign_in"
    )
    assert client.get(reverse("portal:sign_in_password")).url == reverse(
        "portal:sign_in"
    )
