"""Writes of clinical placements, by job: `booking` (wards, placements, statuses),
`proposal` (a rotation block's proposal and its application) and `records` (hours,
sign-offs, evaluations). Callers import from here.
"""

from .booking import (
    BookingRefused,
    block_ward_set,
    placement_book,
    placement_change,
    placement_transition,
    ward_is_training_site,
    ward_supervisors,
)
from .proposal import ProposalResult, proposal_apply, proposal_build
from .records import (
    clinical_year_record,
    evaluation_record,
    hours_approve_many,
    hours_bulk_record,
    hours_decide,
    hours_record,
    parse_hours,
    signoff_record,
)

__all__ = [
    "BookingRefused",
    "ProposalResult",
    "block_ward_set",
    "clinical_year_record",
    "evaluation_record",
    "hours_approve_many",
    "hours_bulk_record",
    "hours_decide",
    "hours_record",
    "parse_hours",
    "placement_book",
    "placement_change",
    "placement_transition",
    "proposal_apply",
    "proposal_build",
    "signoff_record",
    "ward_is_training_site",
    "ward_supervisors",
]
