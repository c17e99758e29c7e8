"""Back-office doors of the register: each one scoped by the issuing institute."""

import hashlib

import pytest

from django.urls import reverse

from certificates.models import BulkJob, IssuedDocument
from certificates.services import document_issue
from certificates.views import issue_url
from students.documents import GRADUATION_CERTIFICATE


@pytest.fixture
def doc_b(world, grad_b):
    return document_issue(
        kind=GRADUATION_CERTIFICATE, achievement=grad_b, issued_by=world.b.admin
    ).document


def test_admin_downloads_own_pdf(client, world, grad_a):
    doc = document_issue(
        kind=GRADUATION_CERTIFICATE, achievement=grad_a, issued_by=world.a.admin
    ).document
    client.force_login(world.a.admin)
    response = client.get(reverse("certificates_admin:download", args=[doc.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == doc.pdf.open("rb").read()
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("role", ["admin", "trainer", "supervisor"])
def test_side_a_cannot_download_revoke_or_reissue_b(client, world, doc_b, role):
    client.force_login(getattr(world.a, role))
    for name in ("download", "revoke", "reissue"):
        url = reverse(f"certificates_admin:{name}", args=[doc_b.pk])
        assert client.get(url).status_code in (403, 404)
        assert client.post(url, {"reason": "x"}).status_code in (403, 404, 405)
    doc_b.refresh_from_db()
    assert doc_b.revoked_at is None and doc_b.replaced_at is None
    assert IssuedDocument.objects.count() == 1


def _own_document(world, role, grad_a):
    """A document of side A issued under the role's own scope: the institute's
    graduation certificate for its administrator, a training certificate of the
    hospital for its trainer."""
    if role == "admin":
        return document_issue(
            kind=GRADUATION_CERTIFICATE, achievement=grad_a, issued_by=world.a.admin
        ).document
    import datetime

    from django.utils import timezone

    from training.documents import CERTIFICATE
    from training.factories import StaffMemberFactory, TrainingSessionFactory
    from training.models import Attendance
    from training.staff.services import RosterEntry, roster_save

    start = timezone.now().replace(microsecond=0) - datetime.timedelta(hours=3)
    session = TrainingSessionFactory(
        hospital=world.a.hospital,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
    )
    staff = StaffMemberFactory(hospital=world.a.hospital)
    roster_save(session=session, entries=[RosterEntry(staff.pk, "present")])
    return document_issue(
        kind=CERTIFICATE,
        achievement=Attendance.objects.get(),
        issued_by=world.a.trainer,
    ).document


@pytest.mark.parametrize("role", ["admin", "trainer"])
def test_side_a_downloads_revokes_and_reissues_its_own(client, world, grad_a, role):
    """Twin of the refusal above (a supervisor's ward issues no documents, so it has
    no allowed twin at these doors)."""
    doc = _own_document(world, role, grad_a)
    client.force_login(getattr(world.a, role))
    download = client.get(reverse("certificates_admin:download", args=[doc.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == doc.pdf.open("rb").read()
    for name in ("revoke", "reissue"):
        url = reverse(f"certificates_admin:{name}", args=[doc.pk])
        assert client.get(url).status_code == 200, name
    reissue = client.post(
        reverse("certificates_admin:reissue", args=[doc.pk]), {"reason": "تصحيح"}
    )
    assert reissue.status_code == 302
    doc.refresh_from_db()
    new = doc.superseded_by
    assert new is not None and new.issued_by == getattr(world.a, role)
    revoke = client.post(
        reverse("certificates_admin:revoke", args=[new.pk]), {"reason": "خطأ"}
    )
    assert revoke.status_code == 302
    new.refresh_from_db()
    assert new.revoked_by == getattr(world.a, role)
    assert IssuedDocument.objects.count() == 2


def test_side_a_cannot_issue_for_b(client, world, grad_b):
    client.force_login(world.a.admin)
    url = issue_url(GRADUATION_CERTIFICATE, grad_b)
    assert client.get(url).status_code == 404
    response = client.post(
        reverse("certificates_admin:issue"),
        {
            "kind": GRADUATION_CERTIFICATE,
            "object": grad_b.pk,
            "language": "ar-en",
            "digits": "arab",
        },
    )
    assert response.status_code == 404
    assert not IssuedDocument.objects.exists()


def test_issue_from_the_student_page_then_revoke(client, world, grad_a):
    client.force_login(world.a.admin)
    url = issue_url(GRADUATION_CERTIFICATE, grad_a)
    page = client.get(url)
    assert page.status_code == 200 and grad_a.person.name_ar in page.content.decode()
    response = client.post(
        reverse("certificates_admin:issue"),
        {
            "kind": GRADUATION_CERTIFICATE,
            "object": grad_a.pk,
            "language": "ar-en",
            "digits": "latn",
        },
    )
    doc = IssuedDocument.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("issued_documents:inspect", args=[doc.pk])
    inspect = client.get(response["Location"])
    assert inspect.status_code == 200 and doc.serial in inspect.content.decode()
    revoke = reverse("certificates_admin:revoke", args=[doc.pk])
    assert client.post(revoke, {"reason": ""}).status_code == 200  # reason required
    client.post(revoke, {"reason": "صدرت بالخطأ"})
    doc.refresh_from_db()
    assert doc.revoked_by == world.a.admin and doc.revocation_reason == "صدرت بالخطأ"


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_issued_message_names_document_and_holder_in_the_readers_language(
    client, settings, world, grad_a, lang
):
    """The message after issuing said the Arabic title and name on English screens."""
    from django.contrib.messages import get_messages

    client.force_login(world.a.admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    response = client.post(
        reverse("certificates_admin:issue"),
        {
            "kind": GRADUATION_CERTIFICATE,
            "object": grad_a.pk,
            "language": "ar-en",
            "digits": "latn",
        },
    )
    doc = IssuedDocument.objects.get()
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    title, name = (
        (doc.title_ar, doc.holder_name_ar)
        if lang == "ar"
        else (doc.title_en, doc.holder_name_en)
    )
    assert title and name and title in message and name in message, message
    assert doc.serial in message


def test_ineligible_student_gets_a_clear_message(client, world):
    from certificates.factories import graduate

    student = graduate(world.a.institute, graduated=False)
    client.force_login(world.a.admin)
    page = client.get(issue_url(GRADUATION_CERTIFICATE, student))
    assert page.status_code == 200
    assert student.person.name_ar in page.content.decode()
    assert 'name="language"' not in page.content.decode()


def test_register_listing_queries_do_not_grow(
    client, world, django_assert_max_num_queries
):
    from certificates.factories import graduate

    for i in range(4):
        document_issue(
            kind=GRADUATION_CERTIFICATE,
            achievement=graduate(world.a.institute, index=i),
            issued_by=None,
        )
    client.force_login(world.a.admin)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("issued_documents:index"))
    assert response.status_code == 200
    assert response.content.decode().count("INST-A-2026-") >= 4


def test_bulk_job_pages_belong_to_who_started_them(client, world):
    job = BulkJob.objects.create(
        kind=GRADUATION_CERTIFICATE,
        selection="cohort",
        language="ar-en",
        digits="arab",
        started_by=world.b.admin,
    )
    client.force_login(world.a.admin)
    for name, args in (
        ("bulk_job", [job.pk]),
        ("bulk_status", [job.pk]),
        ("bulk_download", [job.pk, "pdf"]),
        ("bulk_download", [job.pk, "zip"]),
    ):
        assert (
            client.get(reverse(f"certificates_admin:{name}", args=args)).status_code
            == 404
        )
    # Twin: the administrator who started it opens the same doors.
    client.force_login(world.b.admin)
    page = client.get(reverse("certificates_admin:bulk_job", args=[job.pk]))
    assert page.status_code == 200
    status = client.get(reverse("certificates_admin:bulk_status", args=[job.pk]))
    assert status.status_code == 200 and status.json()["status"] == "queued"


def _issued_a(world, grad_a):
    return document_issue(
        kind=GRADUATION_CERTIFICATE, achievement=grad_a, issued_by=world.a.admin
    ).document


def test_missing_pdf_is_explained_and_rendered_again(client, world, grad_a):
    doc = _issued_a(world, grad_a)
    serial, code, name = doc.serial, doc.code, doc.pdf.name
    doc.pdf.storage.delete(name)
    client.force_login(world.a.admin)
    download = reverse("certificates_admin:download", args=[doc.pk])
    rerender = reverse("certificates_admin:rerender", args=[doc.pk])

    missing = client.get(download)
    assert missing.status_code == 404
    assert rerender in missing.content.decode()
    assert doc.serial in missing.content.decode()

    response = client.post(rerender)
    assert response.status_code == 302
    doc.refresh_from_db()
    assert (doc.serial, doc.code) == (serial, code)
    pdf = b"".join(client.get(download).streaming_content)
    assert pdf.startswith(b"%PDF")
    assert hashlib.sha256(pdf).hexdigest() == doc.sha256
    assert IssuedDocument.objects.count() == 1


def test_a_present_pdf_is_never_rendered_again(client, world, grad_a):
    doc = _issued_a(world, grad_a)
    before = doc.pdf.open("rb").read()
    client.force_login(world.a.admin)
    response = client.post(reverse("certificates_admin:rerender", args=[doc.pk]))
    assert response.status_code == 302
    doc.refresh_from_db()
    assert doc.pdf.open("rb").read() == before


def test_other_side_can_neither_see_nor_render_a_missing_pdf(client, world, grad_a):
    doc = _issued_a(world, grad_a)
    doc.pdf.storage.delete(doc.pdf.name)
    client.force_login(world.b.admin)
    assert (
        client.get(reverse("certificates_admin:download", args=[doc.pk])).status_code
        == 404
    )
    response = client.post(reverse("certificates_admin:rerender", args=[doc.pk]))
    assert response.status_code == 404
    assert not doc.pdf.storage.exists(doc.pdf.name)


def test_impossible_document_ids_answer_404(client, world):
    client.force_login(world.a.admin)
    url = reverse("certificates_admin:download", args=[10**24])
    assert client.get(url).status_code == 404


def test_revoking_says_revoke_not_cancel_and_names_holder_and_document(
    client, world, grad_a
):
    from django.utils import translation

    doc = document_issue(
        kind=GRADUATION_CERTIFICATE, achievement=grad_a, issued_by=None
    ).document
    client.force_login(world.a.admin)
    revoke = reverse("certificates_admin:revoke", args=[doc.pk])
    with translation.override("ar"):
        page = client.get(revoke, HTTP_ACCEPT_LANGUAGE="ar").content.decode()
        inspect = client.get(
            reverse("issued_documents:inspect", args=[doc.pk])
        ).content.decode()
    assert "سحب الشهادة" in page and "سحب الشهادة" in inspect
    submit = page[page.index('type="submit"') - 80 : page.index('type="submit"') + 200]
    assert "إلغاء" not in submit and "no button--danger" in submit
    assert doc.holder_name_ar in page and doc.serial in page
    assert f"«{doc.title_ar}»" in page
    assert "الإبقاء على الشهادة" in page  # the way back is not "Cancel" either
