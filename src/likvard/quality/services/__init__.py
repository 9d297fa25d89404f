"""Quality system services: catalogue, self-evaluation, dialogues and the analysis basis.

``catalogue_load_shipped`` is re-exported here for ``likvard demo``.
"""

from likvard.quality.services.catalogue import catalogue_load_shipped

__all__ = ["catalogue_load_shipped"]
