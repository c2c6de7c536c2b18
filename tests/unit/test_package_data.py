"""A wheel carries every file the platform reads besides its modules: a file left out of the
package data fails an installed server at start-up (the access matrix did), where a checkout
never shows it."""

import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "xinyong"
# Made on the machine from what the package carries, never shipped: bytecode, and the compiled
# translations, which ``make messages`` (or the upgrade) makes from the shipped catalogs.
MADE_HERE = (".pyc", ".mo")


def _patterns() -> list[str]:
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return settings["tool"]["setuptools"]["package-data"]["*"]


def _shipped(path: Path, patterns: list[str]) -> bool:
    """Whether a package-data pattern of the package holding ``path`` (setuptools reads each
    relative to its package, a folder with an ``__init__.py``) covers it."""
    folder = path.parent
    while not (folder / "__init__.py").exists():
        folder = folder.parent
    return any(_glob(path.relative_to(folder), pattern) for pattern in patterns)


def _glob(relative: Path, pattern: str) -> bool:
    """A pattern as setuptools reads it: ``folder/**/*`` anything under the folder, otherwise
    one name per part."""
    if "**" in pattern:
        head = pattern.split("/**", 1)[0]
        return relative.parts[: len(Path(head).parts)] == Path(head).parts
    return len(relative.parts) == len(Path(pattern).parts) and relative.match(pattern)


@pytest.mark.parametrize(
    "path",
    sorted(
        p for p in PACKAGE.rglob("*")
        if p.is_file() and p.suffix != ".py" and not p.name.endswith(MADE_HERE)
        and "__pycache__" not in p.parts
    ),
    ids=lambda p: str(p.relative_to(PACKAGE)),
)  # fmt: skip
def test_every_file_the_package_reads_is_in_its_package_data(path):
    assert _shipped(path, _patterns()), f"{path.relative_to(PACKAGE)} is left out of the wheel"
