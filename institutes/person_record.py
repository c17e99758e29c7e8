"""The person page's sections: one record from student to staff.

`institutes` knows no student or staff model, so each app that holds records of a
person contributes the parts of the page it owns, from its AppConfig.ready():

    from institutes.person_record import register_person_sections

    def staff_sections(person, user) -> list[PersonSection]:
        ...  # rows scoped with institutes.access, a fixed number of queries

    register_person_sections(staff_sections)

A provider returns the sections `user` may see for `person` (none when nothing of
the person is inside the user's scope). The page lists them by `order`: the student
side (enrolment 100, placements 200, hours and competencies 300, documents issued
400), then the staff side (employment 500, mandatory training 600, compliance 700,
training certificates 800). A person with no section for a user is a 404 for them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Prefetch

from .models import IdentityDocument, Person

STUDENT_SIDE = "student"
STAFF_SIDE = "staff"


@dataclass
class PersonSection:
    """One part of the person page: a heading and a template fed `context`.

    `identity` says whether the reader of this part is entitled to the person's
    identity documents and date of birth (an institute administrator of the
    student, a trainer of the staff member); a part opened for a minimal reader
    (a supervisor) leaves it False.
    """

    key: str
    order: int
    side: str
    title: str
    template_name: str
    context: dict = field(default_factory=dict)
    identity: bool = True
    actions: list[dict] = field(default_factory=list)


Provider = Callable[[Person, object], list[PersonSection]]
_providers: list[Provider] = []


def register_person_sections(provider: Provider) -> None:
    """Add a provider of person-page sections (idempotent)."""
    if provider not in _providers:
        _providers.append(provider)


def person_for_page(pk) -> Person | None:
    """The person with their identity documents (two queries), or None."""
    from .access import stored_key

    key = stored_key(Person, pk)
    if key is None:
        return None
    return (
        Person.objects.prefetch_related(
            Prefetch(
                "documents",
                queryset=IdentityDocument.objects.order_by("document_type", "pk"),
            )
        )
        .filter(pk=key)
        .first()
    )


def person_sections(person: Person, user) -> list[PersonSection]:
    """Every section `user` may see of `person`, in page order."""
    sections: list[PersonSection] = []
    for provider in _providers:
        sections.extend(provider(person, user) or ())
    return sorted(sections, key=lambda s: (s.order, s.key))
