"""``xinyong calendar`` as an operator runs it: the console script against a freshly migrated
SQLite file.

Slower than the other tests (each step is a subprocess that starts Django), so it is one test
that walks the whole story of R15: a deadline into the next year is provisional until the credit
office loads that year's State Council notice.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

XINYONG = Path(sys.executable).with_name("xinyong")

pytestmark = pytest.mark.skipif(
    not XINYONG.exists(), reason="the xinyong console script is not installed"
)


@pytest.fixture
def run(tmp_path, fresh_sqlite_url):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "TEST_DATABASE_URL", "XINYONG_TODAY"}
    }
    env.update(
        DATABASE_URL=fresh_sqlite_url,
        SECRET_KEY="e2e-calendar-secret-key",
        XINYONG_VAR_DIR=str(tmp_path / "var"),
        PYTHONIOENCODING="utf-8",
    )

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(XINYONG), *args],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=120,
        )

    return run


def test_a_deadline_into_the_next_year_settles_once_its_notice_is_loaded(run, tmp_path):
    def out(*args: str) -> str:
        done = run(*args)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    assert out("calendar", "coverage") == "2004-2026"
    assert out("calendar", "add-workdays", "2026-09-21", "20") == "2026-10-26"
    assert out("calendar", "add-days", "2026-12-22", "10") == "2027-01-04 provisional"
    assert out("calendar", "add-workdays", "2026-12-20", "20") == "2027-01-18 provisional"

    notice = tmp_path / "2027.csv"  # as a department's spreadsheet exports it: GBK, 休/班
    notice.write_bytes("日期,类型,名称\n2027-01-01,休,元旦\n2027-02-07,班,春节\n".encode("gbk"))
    loaded = out(
        "calendar", "load", str(notice), "--source", "国务院办公厅关于2027年部分节假日安排的通知"
    )
    assert "2027" in loaded

    assert out("calendar", "add-days", "2026-12-22", "10") == "2027-01-04"
    assert out("calendar", "add-workdays", "2026-12-20", "20") == "2027-01-18"
    assert out("calendar", "coverage") == "2004-2027"
    assert out("audit", "verify") == "audit chain intact: 1 rows"

    refused = run("calendar", "add-workdays", "2026-02-30", "20")
    assert refused.returncode == 1
    assert "日期无效“2026-02-30”" in refused.stderr
    assert "Traceback" not in refused.stderr
