"""Collecting credit information from departments' files (R9, R13, 001 §14).

``import_file`` is the one way in, for the command line, the API and the back office. A file is
known by its SHA-256: sent again once done, nothing is added (checked again as a new job when
rows were quarantined, which the credit office's settings may since let in); found half done
(its process was killed), it resumes after the last committed chunk. Every chunk commits its
records, its report rows and the job's checkpoint and counters in one transaction, and records
are inserted with ``ON CONFLICT DO NOTHING`` on their identity, so however often an import is
killed and started again the file's rows end up recorded exactly once.

Audit rows: the start of a job, its end (with its counters), a failure, and every refusal of
information outside the catalog (R13).

The steps live in their own modules: ``jobs`` (the way in, the job for a file, the refusal of
a file outside the catalog), ``locking`` (one process at a time per job), ``run`` (the file
checked and written chunk by chunk), ``checkpoints`` (one chunk committed), ``endings`` (the
job done or failed, and its summary) and ``uploads`` (uploaded files).
"""

from xinyong.catalog.services.checkpoints import COUNTERS
from xinyong.catalog.services.endings import CATALOG_CODES, describe
from xinyong.catalog.services.jobs import KIND_NAMES, import_file, import_upload
from xinyong.catalog.services.locking import LOCK_NAMESPACE, LOCK_WAIT_SECONDS
from xinyong.catalog.services.run import (
    CHUNK_ROWS,
    READ_AHEAD,
    SWITCH_INTERVAL,
    Progress,
)
from xinyong.catalog.services.uploads import (
    MAX_UPLOAD_BYTES,
    max_upload_bytes,
    upload_too_large,
)

__all__ = [
    "CATALOG_CODES",
    "CHUNK_ROWS",
    "COUNTERS",
    "KIND_NAMES",
    "LOCK_NAMESPACE",
    "LOCK_WAIT_SECONDS",
    "MAX_UPLOAD_BYTES",
    "READ_AHEAD",
    "SWITCH_INTERVAL",
    "Progress",
    "describe",
    "import_file",
    "import_upload",
    "max_upload_bytes",
    "upload_too_large",
]
