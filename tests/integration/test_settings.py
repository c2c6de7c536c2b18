"""Settings come from the environment; the built-in secret key is refused when DEBUG is off."""

import os
import subprocess
import sys

import pytest


def _import_settings(env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "XINYONG_DEBUG"}}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import xinyong.settings as s; print(s.DATABASES['default']['ENGINE'])",
        ],
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_default_secret_key_is_refused_when_debug_is_off(tmp_path):
    result = _import_settings({"XINYONG_VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_default_secret_key_serves_a_developer_with_debug_on(tmp_path):
    result = _import_settings({"XINYONG_VAR_DIR": str(tmp_path), "XINYONG_DEBUG": "1"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.db.backends.sqlite3"
    assert (tmp_path).is_dir()


@pytest.mark.parametrize(
    ("url", "engine"),
    [
        ("postgres://u@127.0.0.1:5432/x", "django.db.backends.postgresql"),
        ("sqlite:///tmp/x.sqlite3", "django.db.backends.sqlite3"),
    ],
)
def test_database_url_chooses_the_engine(tmp_path, url, engine):
    result = _import_settings({"SECRET_KEY": "k", "DATABASE_URL": url})
    assert result.stdout.strip() == engine, result.stderr
