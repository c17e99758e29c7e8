import datetime

import pytest

from django.urls import reverse
from django.utils import timezone

from certificates.services import document_issue, document_reissue, document_revoke
from students.documents import GRADUATION_CERTIFICATE


@pytest.fixture
def issued(world, grad_a):
    return document_issue(
        kind=GRADUATION_CERTIFICATE, achievement=grad_a, issued_by=world.a.admin
    ).document


def _verify(client, code, lang="ar", **kwargs):
    return client.get(f"/{lang}/verify/{code}/", **kwargs)


def test_valid_document_shows_only_public_facts(client, issued, grad_a):
    response = _verify(client, issued.code_display)
    html = response.content.decode()
    assert response.status_code == 200
    assert "مستند ساري" in html
    assert issued.holder_name_ar in html and issued.serial in html
    assert issued.issuer.name_ar in html
    person = grad_a.person
    for secret in (
        person.national_id,
        person.birth_date.isoformat(),
        person.birth_date.strftime("%d/%m/%Y"),
        "111.5",
        grad_a.student_number,
    ):
        assert secret not in html
    assert response["X-Robots-Tag"] == "noindex"


def test_english_page_and_typing_mistakes(client, issued):
    sloppy = issued.code.lower().replace("0", "o").replace("1", "l")
    response = _verify(client, sloppy, lang="en")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'lang="en" dir="ltr"' in html
    assert "Valid document" in html and "Fatma Mohamed Abdelrahim" in html


def test_unknown_and_malformed_codes_look_the_same(client, issued):
    unknown = _verify(client, "ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ")
    malformed = _verify(client, "123")
    assert unknown.status_code == malformed.status_code == 404
    for response in (unknown, malformed):
        html = response.content.decode()
        assert "لا يوجد مستند بهذا الرمز" in html
        assert issued.serial not in html and issued.holder_name_ar not in html


def test_revoked_shows_the_date(client, world, issued):
    document_revoke(document=issued, revoked_by=world.a.admin, reason="خطأ إداري")
    html = _verify(client, issued.code, lang="en").content.decode()
    assert "Revoked" in html
    assert timezone.localdate().strftime("%B") in html
    assert "خطأ إداري" not in html  # the reason is internal


def test_superseded_points_to_the_new_document(client, world, issued):
    new = document_reissue(document=issued, issued_by=world.a.admin, reason="name")
    html = _verify(client, issued.code).content.decode()
    assert "استُبدل بمستند مصحح" in html
    assert reverse("certificates:verify", kwargs={"code": new.code_display}) in html
    assert "مستند ساري" in _verify(client, new.code).content.decode()


def test_expired(client, issued):
    type(issued).objects.filter(pk=issued.pk).update(
        valid_until=timezone.localdate() - datetime.timedelta(days=1)
    )
    html = _verify(client, issued.code, lang="en").content.decode()
    assert "Expired" in html and "expired on" in html


def test_pdf_drop_checks_the_bytes(client, issued):
    url = f"/ar/verify/{issued.code_display}/"
    good = issued.pdf.read()
    from django.core.files.uploadedfile import SimpleUploadedFile

    match = client.post(url, {"pdf": SimpleUploadedFile("c.pdf", good)})
    assert "الملف مطابق للسجل تمامًا" in match.content.decode()
    tampered = good[:-10] + b"%tampered\n" + good[-10:]
    mismatch = client.post(url, {"pdf": SimpleUploadedFile("c.pdf", tampered)})
    assert "الملف غير مطابق" in mismatch.content.decode()


def test_lookups_are_rate_limited_per_address(client, settings, issued):
    settings.CERTIFICATES_VERIFY_RATE = (3, 600)
    for _ in range(3):
        assert _verify(client, "ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ").status_code == 404
    blocked = _verify(client, issued.code)
    assert blocked.status_code == 429
    assert "محاولات كثيرة" in blocked.content.decode()
    assert issued.holder_name_ar not in blocked.content.decode()
    other = _verify(client, issued.code, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200


def test_lookups_are_counted_per_visitor_behind_the_proxy(client, settings, issued):
    settings.CERTIFICATES_VERIFY_RATE = (2, 600)
    settings.TRUSTED_PROXY_COUNT = 1
    balancer = {"REMOTE_ADDR": "10.0.0.2"}
    for _ in range(2):
        _verify(client, issued.code, HTTP_X_FORWARDED_FOR="203.0.113.5", **balancer)
    blocked = _verify(
        client, issued.code, HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.5", **balancer
    )
    assert blocked.status_code == 429
    other = _verify(
        client, issued.code, HTTP_X_FORWARDED_FOR="198.51.100.7", **balancer
    )
    assert other.status_code == 200


def test_form_redirects_to_the_code_page(client):
    response = client.get("/ar/verify/", {"code": "abcde-fghjk"})
    assert response.status_code == 302
    assert response["Location"] == "/ar/verify/abcde-fghjk/"
    page = client.get("/en/verify/")
    assert page.status_code == 200 and "Verify a certificate" in page.content.decode()
