"""``xinyong serve`` refuses an install or upgrade with a step left undone: the database not
migrated, the translations not compiled (or compiled before the catalog changed), the static
files not collected (or collected before one changed). Each is named with the command to run."""

import json
import os
import shutil
import time
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from xinyong import deployment

pytestmark = pytest.mark.django_db

LOCALE = Path(deployment.__file__).parent / "locale"


@pytest.fixture
def ready(settings, tmp_path):
    """A copy of the catalogs, compiled, and the static files collected, under ``tmp_path``."""
    locale = tmp_path / "locale"
    shutil.copytree(LOCALE, locale)
    later = time.time() + 1
    for compiled in locale.glob("*/LC_MESSAGES/*.mo"):
        os.utime(compiled, (later, later))
    settings.LOCALE_PATHS = [locale]
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--no-input", verbosity=0)
    return tmp_path


def test_a_ready_install_is_served(ready):
    assert deployment.unready_install() == []
    deployment.refuse_an_unready_install()


def test_a_catalog_changed_since_it_was_compiled_is_named(ready):
    source = next((ready / "locale").glob("*/LC_MESSAGES/django.po"))
    newer = source.with_suffix(".mo").stat().st_mtime + deployment.STALE_AFTER_SECONDS + 5
    os.utime(source, (newer, newer))  # as a pull leaves the catalog: newer than the .mo
    with pytest.raises(ImproperlyConfigured, match="make messages") as refused:
        deployment.refuse_an_unready_install()
    assert "zh_Hans/LC_MESSAGES/django.po" in str(refused.value)


def test_a_catalog_never_compiled_is_named(ready):
    for compiled in (ready / "locale").glob("*/LC_MESSAGES/*.mo"):
        compiled.unlink()
    assert any("translations not compiled" in step for step in deployment.unready_install())


def test_static_files_not_collected_are_named(ready):
    (ready / "static" / "staticfiles.json").unlink()
    assert deployment.unready_install() == [
        "static files not collected or changed since (staticfiles.json):"
        " run `xinyong collectstatic --no-input`"
    ]


def test_a_static_file_the_manifest_does_not_know_is_named(ready):
    manifest = ready / "static" / "staticfiles.json"
    known = json.loads(manifest.read_text())
    gone = "portal/portal.css"
    assert gone in known["paths"]
    del known["paths"][gone]
    manifest.write_text(json.dumps(known))
    (step,) = deployment.unready_install()
    assert gone in step and "collectstatic" in step


def test_a_database_not_migrated_is_named(ready, monkeypatch):
    monkeypatch.setattr(deployment, "_pending_migrations", lambda: True)
    assert deployment.unready_install() == ["the database is not migrated: run `xinyong migrate`"]


def test_the_test_database_has_no_pending_migration():
    """The real check, on a migrated database: nothing pending."""
    assert deployment._pending_migrations() is False


def test_catalogs_installed_together_are_not_out_of_date(ready):
    """A wheel writes each ``.mo`` a moment before its ``.po``: installed together, not stale."""
    for source in (ready / "locale").glob("*/LC_MESSAGES/*.po"):
        compiled = source.with_suffix(".mo")
        moment = source.stat().st_mtime
        os.utime(compiled, (moment - 0.001, moment - 0.001))
    assert deployment.unready_install() == []


def test_with_debug_on_static_files_need_no_collecting(ready, settings):
    """DEBUG serves the apps' static files as they are, with no manifest."""
    (ready / "static" / "staticfiles.json").unlink()
    settings.DEBUG = True
    assert deployment.unready_install() == []
