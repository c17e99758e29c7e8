"""Filters for document templates: the base app's formatting filters.

Kept as a library name of its own so document templates `{% load certificates_pdf %}`;
the filters themselves (`digits`, `number`, `percent`, `hours`, `docdate`, `ident`)
are those of `institutes/templatetags/formatting.py`, one implementation for PDFs and
screens.
"""

from institutes.templatetags.formatting import register  # noqa: F401
