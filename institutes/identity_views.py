"""Back-office screens of the base app: identity change requests (authority staff)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, When
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import access
from .identity import Country
from .models import IdentityChangeRequest, IdentityChangeStatus, Person
from .national_id import Sex
from .services import identity_change_decide

_FIELD_LABELS = {
    "name_ar": Person._meta.get_field("name_ar").verbose_name,
    "name_en": Person._meta.get_field("name_en").verbose_name,
    "birth_date": Person._meta.get_field("birth_date").verbose_name,
    "sex": Person._meta.get_field("sex").verbose_name,
    "nationality": Person._meta.get_field("nationality").verbose_name,
    "phone": Person._meta.get_field("phone").verbose_name,
    "email": Person._meta.get_field("email").verbose_name,
}


def _shown(key: str, value):
    """A stored value as people read it (labels for codes)."""
    if key == "sex" and value in Sex.values:
        return Sex(value).label
    if key == "nationality" and value in Country.values:
        return Country(value).label
    return value


def _require_authority(user) -> None:
    if not access.scope_for(user).is_authority:
        raise PermissionDenied


def identity_changes(request):
    """Pending identity changes first, then decided ones; 50 a page."""
    _require_authority(request.user)
    requests = (
        IdentityChangeRequest.objects.select_related(
            "person", "requested_by", "decided_by"
        )
        .annotate(
            pending_first=Case(
                When(status=IdentityChangeStatus.PENDING, then=0),
                default=1,
                output_field=IntegerField(),
            )
        )
        .order_by("pending_first", "-requested_at", "-pk")
    )
    page = Paginator(requests, 50).get_page(request.GET.get("p"))
    rows = []
    for change_request in page:
        lines = []
        for key, change in change_request.changes.items():
            label = _FIELD_LABELS.get(key) or gettext_lazy("Document expires on")
            lines.append(
                (label, _shown(key, change.get("from")), _shown(key, change.get("to")))
            )
        rows.append((change_request, lines))
    return render(
        request,
        "institutes/identity_changes.html",
        {"page_title": _("Identity change requests"), "page": page, "rows": rows},
    )


@require_POST
def identity_change_decision(request, pk: int):
    _require_authority(request.user)
    change_request = get_object_or_404(IdentityChangeRequest, pk=pk)
    decision = request.POST.get("decision")
    if decision not in ("approve", "refuse"):
        messages.error(request, _("Choose to approve or refuse the request."))
        return redirect("identity_changes")
    try:
        identity_change_decide(
            request=change_request,
            approve=decision == "approve",
            by=request.user,
            note=request.POST.get("note", ""),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        message = (
            _("The change of %(person)s was approved.")
            if decision == "approve"
            else _("The change of %(person)s was refused.")
        )
        messages.success(request, message % {"person": change_request.person.name})
    return redirect("identity_changes")
