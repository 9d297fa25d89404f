"""Girls' and boys' values (Kolada's gender ``K`` and ``M``), released jointly with the totals.

The joint release is the quality basis's (``likvard.quality.services.basis_gender``): every
basis page (region, organizer, school unit) shows its subject's girls and boys from the same
release, so a page's figure and the API's ``K``/``M`` value are one cell with one status.
"""

from __future__ import annotations

from likvard.quality.services.basis_gender import (
    GENDER_GROUPS,
    SERVED_GROUPS,
    gender_cube,
    gender_levels,
    served_gender_rows,
)

__all__ = ["GENDER_GROUPS", "SERVED_GROUPS", "gender_cube", "gender_levels", "served_gender_rows"]
