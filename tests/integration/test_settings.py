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
    env = {"XINYONG_VAR_DIR": str(tmp_path), "XINYONG_DEBUG": "1"}
    # Loading the application checks the install too: the database must be migrated first.
    migrated = _python("from xinyong.cli import main; main(['migrate', '--no-input', '-v0'])", env)
    assert migrated.returncode == 0, migrated.stderr
    result = _python(SERVE_APP, env)
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


READ_SECRET_KEY = "import xinyong.settings as s; print(s.SECRET_KEY)"
DIGEST = (
    "import django; django.setup();"
    " from xinyong.subjects.protection import identifier_digest;"
    " print(identifier_digest('11010519491231002X'))"
)


def test_a_command_run_by_hand_after_make_demo_reads_the_demos_key(tmp_path):
    """``make demo`` keeps its key in the data directory; a command typed there without
    SECRET_KEY uses it, so that it finds the demo's subjects by their keyed hashes (R14)."""
    (tmp_path / "secret_key").write_text("the-demos-own-key\n", encoding="utf-8")
    env = {"XINYONG_VAR_DIR": str(tmp_path)}
    assert _python(READ_SECRET_KEY, env).stdout.strip() == "the-demos-own-key"
    told = _python(READ_SECRET_KEY, {**env, "SECRET_KEY": "from-the-environment"})
    assert told.stdout.strip() == "from-the-environment"  # the environment comes first


def test_identifiers_are_never_hashed_with_the_built_in_key_unless_debug_is_on(tmp_path):
    """A command with no key in its environment would look every subject up, and record it
    again, under another keyed hash than the data's: it is refused with what to set."""
    env = {"XINYONG_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "xinyong.settings"}
    refused = _python(DIGEST, env)
    assert refused.returncode != 0
    assert "Neither XINYONG_DATA_KEY nor SECRET_KEY is set" in refused.stderr
    assert _python(DIGEST, {**env, "SECRET_KEY": "k"}).returncode == 0
    assert _python(DIGEST, {**env, "XINYONG_DEBUG": "1"}).returncode == 0
