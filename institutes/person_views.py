"""The person page: one record from student to staff, in the reader's scope.

The page is assembled from the sections each app contributes
(`institutes.person_record`); every section scopes its rows with
`institutes.access`, so the page shows only the parts inside the user's scope and a
person with nothing there is a 404.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from .person_record import STAFF_SIDE, STUDENT_SIDE, person_for_page, person_sections


def person_page(request, pk):
    """GET: the person's record, student side then staff side."""
    person = person_for_page(pk)
    sections = person_sections(person, request.user) if person is not None else []
    if not sections:
        raise Http404(_("No such record in your institutes and hospitals."))
    return render(
        request,
        "institutes/person/page.html",
        {
            "page_title": person.name,
            "person": person,
            "show_identity": any(s.identity for s in sections),
            "student_sections": [s for s in sections if s.side == STUDENT_SIDE],
            "staff_sections": [s for s in sections if s.side == STAFF_SIDE],
        },
    )
