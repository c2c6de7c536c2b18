"""Settings come from the environment; the built-in secret key is refused when DEBUG is off."""

import os
import subprocess
import sys

import pytest

SERVE_APP = "import xinyong.wsgi"
READ_ENGINE = "import xinyong.settings as s; print(s.DATABASES['default']['ENGINE'])"


def _python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    drop = {"SECRET_KEY", "XINYONG_DEBUG", "DJANGO_SETTINGS_MODULE", "DATABASE_URL"}
    clean = {k: v for k, v in os.environ.items() if k not in drop}
    return subprocess.run(
        [sys.executable, "-c", code], env={**clean, **env}, capture_output=True, text=True
    )


def test_serving_with_the_default_secret_key_is_refused_when_debug_is_off(tmp_path):
    result = _python(SERVE_APP, {"XINYONG_VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_serve_command_refuses_the_default_key_before_starting(tmp_path):
    code = "from xinyong.cli import main; main(['serve', '--port', '1'])"
    result = _python(code, {"XINYONG_VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_the_default_key_serves_a_developer_with_debug_on(tmp_path):
    result = _python(SERVE_APP, {"XINYONG_VAR_DIR": str(tmp_path), "XINYONG_DEBUG": "1"})
    assert result.returncode == 0, result.stderr


def test_offline_commands_need_no_secret_key(tmp_path):
    code = "from xinyong.cli import main; main(['ids', 'check', '11010519491231002X'])"
    result = _python(code, {"XINYONG_VAR_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert "valid" in result.stdout


def test_the_default_database_is_a_sqlite_file_under_var(tmp_path):
    result = _python(READ_ENGINE, {"XINYONG_VAR_DIR": str(tmp_path / "var")})
    assert result.stdout.strip() == "django.db.backends.sqlite3", result.stderr
    assert (tmp_path / "var").is_dir()


@pytest.mark.parametrize(
    ("url", "engine"),
    [
        ("postgres://u@127.0.0.1:5432/x", "django.db.backends.postgresql"),
        ("sqlite:///tmp/x.sqlite3", "django.db.backends.sqlite3"),
    ],
)
def test_database_url_chooses_the_engine(url, engine):
    result = _python(READ_ENGINE, {"DATABASE_URL": url})
    assert result.stdout.strip() == engine, result.stderr
