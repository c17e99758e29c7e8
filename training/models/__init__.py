"""Models of the training app: mandatory staff training (`staff`) and, later,
clinical placements. Each area lives in its own module and is re-exported here."""

from .staff import *  # noqa: F403
from .staff import __all__ as _staff_all

__all__ = [*_staff_all]
from .placements import *  # noqa: F403, E402
