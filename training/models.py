"""Models of the training app, one module per wing, re-exported here.

`training.staff.models`: mandatory staff training (topics, sessions, attendance,
compliance). `training.placements.models`: clinical placements (rotation blocks,
placements, hours, sign-offs, evaluations). Both keep the app label `training`.
"""

from .staff.models import *  # noqa: F403
from .staff.models import __all__ as _staff_all

__all__ = [*_staff_all]
from .placements.models import *  # noqa: F403, E402
