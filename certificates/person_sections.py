"""Issued documents on the person page, from the register.

Documents issued by an institute (enrolment letters, transcripts, graduation
certificates, clinical records) belong to the student side (order 400); those
issued by a hospital (training certificates) to the staff side (order 800). Scoped
by the register's own access rule (the issuer); one query for both parts.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from institutes import access
from institutes.person_record import STAFF_SIDE, STUDENT_SIDE, PersonSection

from .models import IssuedDocument


def document_sections(person, user) -> list[PersonSection]:
    documents = list(
        access.filter_for(
            IssuedDocument.objects.filter(holder=person).select_related(
                "issuer_institute", "issuer_hospital"
            ),
            user,
            "view",
        ).order_by("-issued_at", "-pk")
    )
    by_institute = [d for d in documents if d.issuer_institute_id]
    by_hospital = [d for d in documents if not d.issuer_institute_id]
    sections = []
    if by_institute:
        sections.append(
            PersonSection(
                key="documents",
                order=400,
                side=STUDENT_SIDE,
                title=_("Documents issued"),
                template_name="certificates/person/documents.html",
                context={"documents": by_institute},
            )
        )
    if by_hospital:
        sections.append(
            PersonSection(
                key="training-certificates",
                order=800,
                side=STAFF_SIDE,
                title=_("Training certificates"),
                template_name="certificates/person/documents.html",
                context={"documents": by_hospital},
            )
        )
    return sections
