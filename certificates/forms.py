"""Forms of the certificates app (public verification and back office)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Digits, DocumentLanguage

MAX_PDF_BYTES = 10 * 1024 * 1024


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=40,
        help_text=_("As printed on the document, e.g. 7KQ3D-M9X2B-4RTPZ-HWA6C."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "dir": "ltr"}
        ),
    )


class PdfCheckForm(forms.Form):
    pdf = forms.FileField(
        label=_("PDF file to compare"),
        help_text=_("The file is not kept: only its fingerprint is compared."),
    )

    def clean_pdf(self):
        upload = self.cleaned_data["pdf"]
        if upload.size > MAX_PDF_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload


class IssueOptionsForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language"),
        choices=DocumentLanguage.choices,
        initial=DocumentLanguage.BILINGUAL,
    )
    digits = forms.ChoiceField(
        label=_("Digits"), choices=Digits.choices, initial=Digits.ARABIC_INDIC
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=_("Kept in the register with your name and the date."),
    )


class ReprintForm(IssueOptionsForm):
    date_from = forms.DateField(
        label=_("Issued from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Issued until"), widget=forms.DateInput(attrs={"type": "date"})
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False)

    def __init__(self, *args, kind_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds")), *kind_choices]
        del self.fields["language"]
        del self.fields["digits"]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(
                _("The first date must not be after the second.")
            )
        return data
