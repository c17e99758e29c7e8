"""Document kinds of the training app, discovered by the certificates app.

Each wing registers its own kinds; importing this module imports both. The names
other code uses are re-exported so a caller need not know which wing owns a kind.
"""

from .placements.documents import CLINICAL_RECORD, WARD_SCHEDULE, render_ward_schedule
from .staff.documents import CERTIFICATE, SIGN_IN_SHEET, sign_in_sheet_pdf

__all__ = [
    "CERTIFICATE",
    "CLINICAL_RECORD",
    "SIGN_IN_SHEET",
    "WARD_SCHEDULE",
    "render_ward_schedule",
    "sign_in_sheet_pdf",
]
