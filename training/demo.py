"""Demo data of the training app: one function per area, run in order."""

from .demo_placements import load_placements
from .demo_staff import load_staff_training


def load(ctx) -> None:
    load_staff_training(ctx)
    load_placements(ctx)
