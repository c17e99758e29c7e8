"""The contact centre: public form, reference number, follow-up, back office, scoping."""

import pytest

from django.test import override_settings

from cms.selectors import contact_request_for_visitor
from contact.factories import ContactRequestFactory
from contact.models import ContactRequest, ContactStatus
from contact.selectors import contact_counts
from contact.services import contact_request_answer

pytestmark = pytest.mark.django_db


def _post(client, world, **overrides):
    data = {
        "kind": "complaint",
        "concerns": f"i-{world.a.institute.pk}",
        "subject": "تأخر الرد على الهاتف",
        "message": "اتصلت بالمعهد ثلاث مرات دون رد.",
        "name": "محمود",
        "phone": "0100 123 4567",
        "email": "",
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return client.post("/ar/contact/", data)


def test_submitting_gives_a_reference_and_routes_to_the_institute(client, world):
    response = _post(client, world)
    assert response.status_code == 302
    request = ContactRequest.objects.get()
    assert request.institute == world.a.institute and request.hospital is None
    assert request.reference.startswith("CC-") and len(request.reference) == 12
    assert request.events.first().status == ContactStatus.NEW
    assert request.office.institute == world.a.institute
    assert request.status == ContactStatus.ASSIGNED and request.due_at
    page = client.get(response["Location"]).content.decode()
    assert request.reference in page


def test_missing_contact_details_are_refused_and_nothing_is_lost(client, world):
    response = _post(client, world, phone="", email="")
    assert response.status_code == 200
    assert ContactRequest.objects.count() == 0
    html = response.content.decode()
    assert "اتصلت بالمعهد ثلاث مرات دون رد." in html  # the text stays in the form
    assert response.context["form"].errors["phone"]


def test_consent_is_required(client, world):
    response = _post(client, world, consent="")
    assert response.context["form"].errors["consent"]
    assert ContactRequest.objects.count() == 0


def test_honeypot_refuses_bots(client, world):
    response = _post(client, world, website="http://spam.example")
    assert response.status_code == 200
    assert ContactRequest.objects.count() == 0


def test_invisible_characters_are_refused_and_the_text_kept(client, world):
    response = _post(client, world, subject="شكوى \u202eتقرير", name="محمود\u2067")
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "U+202E" in errors["subject"][0] and "U+2067" in errors["name"][0]
    assert "اتصلت بالمعهد ثلاث مرات دون رد." in response.content.decode()
    assert ContactRequest.objects.count() == 0
    # Line breaks in the message are fine.
    assert _post(client, world, message="سطر أول\nسطر ثان").status_code == 302


def test_the_contact_service_refuses_invisible_characters(world):
    from django.core.exceptions import ValidationError

    from contact.services import contact_request_submit

    with pytest.raises(ValidationError) as caught:
        contact_request_submit(
            kind="complaint", subject="x", message="y\u202e", phone="01001234567"
        )
    assert "message" in caught.value.message_dict
    assert ContactRequest.objects.count() == 0


def test_a_foreign_or_unknown_place_is_refused(client, world):
    response = _post(client, world, concerns="i-999999")
    assert response.context["form"].errors["concerns"]
    assert ContactRequest.objects.count() == 0


@override_settings(CMS_RATE_LIMITS={"contact": (2, 3600)})
def test_rate_limit_keeps_the_text(client, world):
    assert _post(client, world).status_code == 302
    assert _post(client, world).status_code == 302
    response = _post(client, world, subject="الثالثة")
    assert response.status_code == 429
    assert "الثالثة" in response.content.decode()
    assert ContactRequest.objects.count() == 2


@override_settings(CMS_RATE_LIMITS={"contact": (2, 3600)}, TRUSTED_PROXY_COUNT=1)
def test_rate_limit_counts_each_visitor_behind_the_proxy(client, world):
    def post_from(address):
        return client.post(
            "/ar/contact/",
            {
                "kind": "complaint",
                "concerns": f"i-{world.a.institute.pk}",
                "subject": "تأخر الرد",
                "message": "اتصلت بالمعهد ثلاث مرات دون رد.",
                "name": "محمود",
                "phone": "0100 123 4567",
                "consent": "on",
            },
            REMOTE_ADDR="10.0.0.2",  # the load balancer, for everyone
            HTTP_X_FORWARDED_FOR=address,
        )

    assert post_from("203.0.113.5").status_code == 302
    assert post_from("203.0.113.5").status_code == 302
    # A forged entry in front does not escape the count.
    assert post_from("1.2.3.4, 203.0.113.5").status_code == 429
    assert post_from("198.51.100.7").status_code == 302
    assert ContactRequest.objects.count() == 3


@override_settings(CMS_RATE_LIMITS={"follow": (2, 3600)}, TRUSTED_PROXY_COUNT=1)
def test_follow_limit_counts_each_visitor_behind_the_proxy(client, world):
    def follow_from(address):
        return client.post(
            "/ar/contact/follow/",
            {"reference": "CC-X", "contact": "1234567"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=address,
        )

    follow_from("203.0.113.5")
    follow_from("203.0.113.5")
    assert follow_from("203.0.113.5").status_code == 429
    assert follow_from("198.51.100.7").status_code == 200


def test_follow_by_reference_and_phone_in_any_digits(client, world):
    request = ContactRequestFactory(
        institute=world.a.institute, phone="0100 123 4567", reference="CC-ABCD-EFGH"
    )
    assert contact_request_for_visitor(reference="cc-abcd-efgh", contact="01001234567")
    # Arabic-Indic digits as typed on an Arabic keyboard.
    found = contact_request_for_visitor(reference="CC-ABCD-EFGH", contact="٠١٠٠١٢٣٤٥٦٧")
    assert found == request
    assert (
        contact_request_for_visitor(reference="CC-ABCD-EFGH", contact="01009999999")
        is None
    )


def test_follow_page_shows_status_and_answer(client, world):
    request = ContactRequestFactory(
        institute=world.a.institute, email="Visitor@Example.org", phone=""
    )
    contact_request_answer(
        contact_request=request, answer="يبدأ التقديم في يوليو.", actor=world.a.admin
    )
    response = client.post(
        "/en/contact/follow/",
        {"reference": request.reference, "contact": "visitor@example.org"},
    )
    html = response.content.decode()
    assert "يبدأ التقديم في يوليو." in html
    assert 'id="request-status"' in html
    wrong = client.post(
        "/en/contact/follow/",
        {"reference": request.reference, "contact": "other@example.org"},
    )
    assert "يبدأ التقديم" not in wrong.content.decode()


@override_settings(CMS_RATE_LIMITS={"follow": (3, 3600)})
def test_follow_is_rate_limited_against_guessing(client, world):
    for _ in range(3):
        client.post("/ar/contact/follow/", {"reference": "CC-X", "contact": "1234567"})
    response = client.post(
        "/ar/contact/follow/", {"reference": "CC-X", "contact": "1234567"}
    )
    assert response.status_code == 429


def test_routing_institute_admin_and_trainer_see_only_their_requests(world):
    from institutes import access

    own = ContactRequestFactory(institute=world.a.institute)
    hospital_a = ContactRequestFactory(hospital=world.a.hospital)
    ContactRequestFactory(institute=world.b.institute)
    ContactRequestFactory(hospital=world.b.hospital)
    general = ContactRequestFactory()
    qs = ContactRequest.objects.all()
    assert set(access.filter_for(qs, world.a.admin)) == {own}
    assert set(access.filter_for(qs, world.a.trainer)) == {hospital_a}
    assert set(access.filter_for(qs, world.a.supervisor)) == set()
    assert general in set(access.filter_for(qs, world.authority))


def test_dashboard_counts_are_scoped(client, world):
    ContactRequestFactory(institute=world.a.institute, kind="complaint")
    ContactRequestFactory(institute=world.b.institute, kind="complaint")
    counts = contact_counts(world.a.admin)
    assert counts["total"] == 1 and counts["open"] == 1
    client.force_login(world.a.admin)
    html = client.get("/admin/").content.decode()
    assert 'id="contact-centre-heading"' in html


def test_a_database_constraint_keeps_one_place(world):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        ContactRequestFactory(institute=world.a.institute, hospital=world.a.hospital)
