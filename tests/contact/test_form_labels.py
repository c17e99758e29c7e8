"""Two fields of one form never share a label in either language (a caller's topic and
subject were both «الموضوع»)."""

import pytest

from django.utils import translation

from cms.forms import ContactRequestForm
from contact.forms import IntakeForm, StaffRequestForm

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "form_class", [ContactRequestForm, IntakeForm, StaffRequestForm]
)
@pytest.mark.parametrize("language", ["ar", "en"])
def test_every_field_of_a_contact_form_has_its_own_label(form_class, language):
    with translation.override(language):
        form = form_class()
        labels = [
            str(field.label).removesuffix(" (optional)").strip()
            for field in form.fields.values()
            if field.label
        ]
    repeated = {label for label in labels if labels.count(label) > 1}
    assert not repeated, repeated
