"""Folders of personal data the platform writes itself, readable by its own account alone.

Import uploads and screening files hold citizen IDs and names (R14, DOMAIN §4). Django's
storage keeps objection evidence private through its upload settings; these folders are
written by the platform's own code, whose files follow the process's umask (0644 under the
usual 022). A folder no other account may enter keeps every file in it private, whatever its
own mode, so each is made, or made again, 0700.
"""

from __future__ import annotations

import stat
from pathlib import Path

PRIVATE = 0o700


def private_folder(folder: Path) -> Path:
    """``folder``, made if missing, that no other account may list or enter (an older release
    made it open: it is closed on first use)."""
    folder.mkdir(mode=PRIVATE, parents=True, exist_ok=True)
    if stat.S_IMODE(folder.stat().st_mode) & 0o077:
        folder.chmod(PRIVATE)
    return folder
