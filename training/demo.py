"""Demo data of the training app: one function per area, run in order.

Placements first (they create the ward supervisors), then the past intake that
graduates through its clinical record, then the staff, who include a few of those
graduates hired at Karnak hospital.
"""

from .placements.demo import load_placements
from .placements.demo_graduates import load_graduates
from .staff.demo import load_staff_training


def load(ctx) -> None:
    load_placements(ctx)
    load_graduates(ctx)
    load_staff_training(ctx)
