"""The people-and-roles screen: one page where authority staff find or create a
person, give a role with only the scope it needs, and see everyone's roles."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from .access import scope_for
from .forms import RoleSetupForm
from .selectors import people_with_roles
from .services import EDITORIAL_GROUPS, AssignableRole, role_setup, user_display_name

_GROUP_LABELS = {name: role for role, name in EDITORIAL_GROUPS.items()}
# Errors the service names by its own argument names, shown beside the form's fields.
_FORM_FIELD = {
    "username": "new_username",
    "full_name": "new_full_name",
    "email": "new_email",
}


def roles_of(user) -> list[dict]:
    """What one listed person holds, from the prefetched rows (no query)."""
    held = [
        {"role": a.get_role_display(), "scope": str(a.scope_object or "")}
        for a in user.role_assignments.all()
    ]
    for group in user.groups.all():
        label = _GROUP_LABELS.get(group.name)
        held.append(
            {"role": AssignableRole(label).label if label else group.name, "scope": ""}
        )
    if user.is_superuser:
        held.insert(0, {"role": _("Health authority staff"), "scope": ""})
    return held


class PeopleAndRolesView(View):
    """GET: the form and the people list; POST: `role_setup`, then the list again
    (with the new account's temporary password shown this once)."""

    template_name = "institutes/people_and_roles.html"
    page_title = gettext_lazy("People and roles")
    per_page = 50

    def dispatch(self, request, *args, **kwargs):
        if not scope_for(request.user).is_authority:
            raise PermissionDenied(
                _("Only health authority staff give roles and create accounts.")
            )
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self._render(request, RoleSetupForm())

    def post(self, request):
        form = RoleSetupForm(request.POST)
        if not form.is_valid():
            return self._render(request, form, status=400)
        data = form.cleaned_data
        new_user = None
        if data["user"] is None:
            new_user = {
                "username": data["new_username"],
                "full_name": data["new_full_name"],
                "email": data["new_email"],
            }
        try:
            user, password, _granted = role_setup(
                by=request.user,
                role=data["role"],
                user=data["user"],
                new_user=new_user,
                institute=data["institute"],
                hospital=data["hospital"],
                ward=data["ward"],
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for name, errors in exc.error_dict.items():
                    field = _FORM_FIELD.get(name, name)
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
            return self._render(request, form, status=400)
        messages.success(
            request,
            _("%(user)s is now %(role)s.")
            % {
                "user": user_display_name(user),
                "role": AssignableRole(data["role"]).label,
            },
        )
        if password is None:
            return redirect(f"{request.path}?q={user.username}")
        # The temporary password is rendered in this response only, never stored.
        return self._render(
            request,
            RoleSetupForm(),
            created={"user": user, "password": password},
            search=user.username,
        )

    def _render(self, request, form, *, status=200, created=None, search=None):
        search = (request.GET.get("q") or "").strip() if search is None else search
        page = Paginator(people_with_roles(search), self.per_page).get_page(
            request.GET.get("p")
        )
        people = [{"user": u, "roles": roles_of(u)} for u in page.object_list]
        return render(
            request,
            self.template_name,
            {
                "page_title": self.page_title,
                "form": form,
                "page": page,
                "people": people,
                "search": search,
                "created": created,
                "scope_fields": ("institute", "hospital", "ward"),
            },
            status=status,
        )
