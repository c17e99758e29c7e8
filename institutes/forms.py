"""Admin forms of the base app."""

from wagtail.admin.forms import WagtailAdminModelForm

from .access import scope_for
from .services import INSTITUTE_CONTACT_FIELDS, institute_save


class InstituteForm(WagtailAdminModelForm):
    """The institute form: the whole record for authority staff, only the contacts for
    the institute's own administrators (the other fields are absent, so their panels
    are not shown). Saved through `institute_save`, which refuses the same."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not scope_for(self.for_user).is_authority:
            for name in list(self.fields):
                if name not in INSTITUTE_CONTACT_FIELDS:
                    del self.fields[name]

    def save(self, commit=True):
        values = {
            name: self.cleaned_data[name]
            for name in self.fields
            if name in self.cleaned_data and name != "partner_hospitals"
        }
        partners = (
            self.cleaned_data.get("partner_hospitals")
            if "partner_hospitals" in self.fields
            else None
        )
        self.instance = institute_save(
            institute=self.instance,
            by=self.for_user,
            partner_hospitals=partners,
            **values,
        )
        return self.instance
