"""Factories of the training app, one module per area, re-exported here.

Importing this module also registers the areas' scope samples for the cross-scope
tests (tests/institutes/test_scoping_every_viewset.py).
"""

from training.placements.factories import *  # noqa: F403, E402
from training.staff.factories import *  # noqa: F403
