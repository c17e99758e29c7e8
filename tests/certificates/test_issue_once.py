"""Issuing one document: checks run once per POST and the PDF renders outside any
transaction, so the serial counter (on SQLite the database's write lock) is never held
while WeasyPrint lays the page out."""

from django.db import connection
from django.urls import reverse

from certificates import services
from certificates.models import IssuedDocument
from certificates.registry import get_kind
from students.documents import GRADUATION_CERTIFICATE


def _post(client, student):
    return client.post(
        reverse("certificates_admin:issue"),
        {
            "kind": GRADUATION_CERTIFICATE,
            "object": student.pk,
            "language": "ar-en",
            "digits": "arab",
        },
    )


def test_eligibility_is_checked_once_per_issue(client, world, grad_a, monkeypatch):
    import dataclasses

    from certificates import registry

    kind = get_kind(GRADUATION_CERTIFICATE)
    calls = []

    def counting(achievement):
        calls.append(achievement.pk)
        return kind.check_eligible(achievement)

    counted = dataclasses.replace(kind, check_eligible=counting)
    monkeypatch.setitem(registry._KINDS, GRADUATION_CERTIFICATE, counted)
    client.force_login(world.a.admin)
    assert _post(client, grad_a).status_code == 302
    assert calls == [grad_a.pk]
    assert IssuedDocument.objects.count() == 1


def test_the_pdf_renders_outside_any_transaction(world, grad_a, monkeypatch):
    outer = len(connection.atomic_blocks)  # the test's own transaction
    depths = []
    real = services.render_documents

    def watching(prepared, *args, **kwargs):
        depths.append(len(connection.atomic_blocks) - outer)
        return real(prepared, *args, **kwargs)

    monkeypatch.setattr(services, "render_documents", watching)
    result = services.document_issue(
        kind=GRADUATION_CERTIFICATE, achievement=grad_a, issued_by=world.a.admin
    )
    assert result.created
    assert depths == [0]
    new = services.document_reissue(
        document=result.document, issued_by=world.a.admin, reason="Name corrected"
    )
    assert depths == [0, 0]
    old = IssuedDocument.objects.get(pk=result.document.pk)
    assert old.superseded_by_id == new.pk and old.replaced_at is not None


def test_a_reissue_of_a_document_revoked_meanwhile_keeps_nothing(
    world, grad_a, monkeypatch
):
    result = services.document_issue(
        kind=GRADUATION_CERTIFICATE, achievement=grad_a, issued_by=world.a.admin
    )
    real = services.render_documents

    def revoke_while_rendering(prepared, *args, **kwargs):
        services.document_revoke(
            document=result.document, revoked_by=world.a.admin, reason="Error"
        )
        return real(prepared, *args, **kwargs)

    monkeypatch.setattr(services, "render_documents", revoke_while_rendering)
    import pytest

    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.document_reissue(
            document=result.document, issued_by=world.a.admin, reason="Name"
        )
    assert IssuedDocument.objects.count() == 1
