"""The networks' background task: a scanned notes PDF read by OCR in the worker.

OCR takes about 4.5 s of CPU a page at 300 dpi: a two-page scan took 24 s of wall time at a
load of 3-5, past the 20 s a web upload may take (``DOCUMENT_LIMITS``), so a secretary's scan
was refused as "took too long" whenever the server was busy. The upload now checks the file
(its type, its pages) in the request, keeps it in a private folder and queues
``notes_read_scan`` on the interactive worker (a person is waiting for it; the warm queue may
be busy with an import's warm-up); the review page shows the pages read and reloads when done.
"""

from __future__ import annotations

from django_tasks import task

from likvard.networks.models import NotesUpload
from likvard.networks.services.imports import notes_scan_read
from likvard.warehouse.tasks import INTERACTIVE_QUEUE


@task(queue_name=INTERACTIVE_QUEUE, priority=4)
def notes_read_scan(upload_id: int) -> str:
    """Read upload ``upload_id``'s scan by OCR; returns the upload's status."""
    notes_scan_read(upload_id=upload_id)
    return str(NotesUpload.objects.filter(pk=upload_id).values_list("status", flat=True).first())
