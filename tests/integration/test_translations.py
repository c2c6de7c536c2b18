"""The UI is Simplified Chinese through gettext: every message in the code has a translation."""

import importlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import xinyong

PACKAGE = Path(xinyong.__file__).parent
CATALOG = PACKAGE / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def _entries(po_text: str) -> dict[str, str]:
    def unquote(block: str) -> str:
        return "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', block))

    pattern = re.compile(r'^msgid ((?:".*"\n)+)msgstr ((?:".*"\n?)+)', re.M)
    return {unquote(m[1]): unquote(m[2]) for m in pattern.finditer(po_text) if unquote(m[1])}


def test_every_catalog_entry_is_translated():
    untranslated = [k for k, v in _entries(CATALOG.read_text("utf-8")).items() if not v]
    assert untranslated == []


def test_every_plural_entry_is_translated():
    """A plural message (``blocktranslate count``) has its own msgstr[0]; Chinese has one form."""
    text = CATALOG.read_text("utf-8")
    plural = re.compile(r'^msgid_plural "(.*)"\nmsgstr\[0\] "(.*)"', re.M)
    found = plural.findall(text)
    assert found and [msgid for msgid, msgstr in found if not msgstr] == []


def test_the_catalog_holds_every_message_in_the_code(tmp_path):
    """Extract the messages afresh and compare: a new UI string must come with its translation."""
    if shutil.which("xgettext") is None:
        pytest.fail("gettext is missing: `make test` installs it")
    copy = tmp_path / "xinyong"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "zh_Hans", "--no-location",
         "--ignore", "migrations/*"],
        cwd=copy, check=True, capture_output=True,
        env={k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
    )  # fmt: skip
    fresh = _entries((copy / "locale/zh_Hans/LC_MESSAGES/django.po").read_text("utf-8"))
    known = _entries(CATALOG.read_text("utf-8"))
    assert sorted(set(fresh) - set(known)) == []


JS_CATALOG = CATALOG.with_name("djangojs.po")


def test_every_javascript_catalog_entry_is_translated():
    entries = _entries(JS_CATALOG.read_text("utf-8"))
    assert entries and [k for k, v in entries.items() if not v] == []


def _msgids(po_text: str) -> set[str]:
    """Every message's msgid, plural ones included."""
    found = re.findall(r'^msgid ((?:".*"\n)+)', po_text, re.M)
    return {"".join(re.findall(r'"((?:[^"\\]|\\.)*)"', m)) for m in found} - {""}


@pytest.mark.parametrize(
    ("package", "domain", "ours"),
    [
        ("django.contrib.admin", "django", CATALOG),
        ("django.contrib.admin", "djangojs", JS_CATALOG),
        ("django.contrib.auth", "django", CATALOG),
        ("django.conf", "django", CATALOG),
    ],
)
def test_the_catalog_translates_what_djangos_zh_hans_catalog_lacks(package, domain, ours):
    """Django's zh_Hans catalogs lag behind its English source: the admin showed English
    sentences (the user-creation hint, the two-box selector's buttons). Whatever they lack,
    the project's catalogs translate, after an upgrade of Django too."""
    if shutil.which("msgmerge") is None:
        pytest.fail("gettext is missing: `make test` installs it")
    locale = Path(importlib.import_module(package).__file__).parent / "locale"
    english, chinese = (
        locale / lang / "LC_MESSAGES" / f"{domain}.po" for lang in ("en", "zh_Hans")
    )
    merged = subprocess.run(
        ["msgmerge", "--quiet", "--no-fuzzy-matching", "-o", "-", str(chinese), str(english)],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    # A fuzzy translation is not compiled: it counts as missing.
    cleared = subprocess.run(
        ["msgattrib", "--clear-fuzzy", "--empty", "-"],
        input=merged, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    lacking = subprocess.run(
        ["msgattrib", "--untranslated", "--no-obsolete", "-"],
        input=cleared, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    assert sorted(_msgids(lacking) - _msgids(ours.read_text("utf-8"))) == []
