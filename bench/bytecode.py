"""The platform's modules compiled to bytecode before a timed run, as an installed copy has them.

pip compiles a package's modules when it installs it; a checkout installed for development
(``pip install -e``) is compiled by Python on first import instead, and not at all where
PYTHONDONTWRITEBYTECODE is set: every process then compiles each module it imports again, some
0.1 s of a command's start. A bench that times a command from its start compiles first, so that
it measures the platform, not the checkout.
"""

from __future__ import annotations

import compileall
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[1] / "src" / "xinyong"


def compile_source() -> None:
    """Write the ``__pycache__`` files of every module, for this interpreter; quiet."""
    if not compileall.compile_dir(SOURCE, quiet=1):
        raise SystemExit(f"could not compile {SOURCE}")
