"""Password validators whose messages read in Arabic as well as English.

Django 5.2 words the "too short" message with `%d`, and its Arabic catalogue only
translates the older `%(min_length)d` wording, so an Arabic page showed that one
refusal in English. The message is asked here in the translated wording (our own
catalogue carries the six Arabic plural forms too).
"""

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        # Formatted by ValidationError with params={"min_length": ...}.
        return ngettext(
            "This password is too short. It must contain at least %(min_length)d "
            "character.",
            "This password is too short. It must contain at least %(min_length)d "
            "characters.",
            self.min_length,
        )
