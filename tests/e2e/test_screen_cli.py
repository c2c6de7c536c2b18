"""``xinyong screen`` as an operator runs it: the console script against a fresh SQLite file.

From the command line the process ends without freeing its subject map (see the command): this
shows that it still writes every row, prints its summary, commits the job and its audit row,
and that a refusal still exits with status 1 and its message.
"""

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import make_uscc

XINYONG = Path(sys.executable).with_name("xinyong")

pytestmark = pytest.mark.skipif(
    not XINYONG.exists(), reason="the xinyong console script is not installed"
)

SETUP = """
from xinyong.measures.models import Scenario
from xinyong.subjects.models import Department, Region, Subject
region = Region.objects.create(code="330106", name="西湖区", level="county")
Department.objects.create(code="czj", name="财政局", level="county", region=region,
                          is_implementing=True)
Scenario.objects.create(code="government_procurement", name="政府采购")
Subject.objects.create(kind="legal_person", name="杭州已知公司", identifier="{known}")
"""
REPORT = """
from xinyong.audit.models import AuditEntry
from xinyong.measures.models import ScreeningJob
job = ScreeningJob.objects.get()
print(job.status, job.rows, job.ok, job.unknown, job.invalid,
      AuditEntry.objects.filter(action="screening.run").count())
"""


@pytest.fixture
def run(tmp_path, fresh_sqlite_url):
    unset = {"DJANGO_SETTINGS_MODULE", "TEST_DATABASE_URL", "XINYONG_TODAY"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(DATABASE_URL=fresh_sqlite_url,
               SECRET_KEY="e2e-screen-secret-key", XINYONG_VAR_DIR=str(tmp_path / "var"),
               PYTHONIOENCODING="utf-8")  # fmt: skip

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(XINYONG), *args], env=env, cwd=tmp_path, capture_output=True,
                              text=True, encoding="utf-8", timeout=120)  # fmt: skip

    return run


def test_the_command_writes_every_row_and_commits_the_job_before_it_exits(run, tmp_path):
    known, unknown = make_uscc(41_000_001), make_uscc(41_000_002)
    made = run("shell", "-c", SETUP.format(known=known))
    assert made.returncode == 0, made.stderr
    source = tmp_path / "in.csv"
    source.write_text(f"code,ref\n{known},a\n{unknown},b\nABC,c\n", encoding="utf-8")
    target = tmp_path / "out.csv"
    done = run("screen", str(source), "-o", str(target), "--scenario", "government_procurement",
               "--department", "czj", "--no-progress")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "共 3 行" in done.stdout and done.stdout.endswith("\n")
    with target.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert [(row["ref"], row["status"]) for row in rows] == [
        ("a", "ok"), ("b", "unknown"), ("c", "invalid")
    ]  # fmt: skip
    assert rows[0]["subject_name"] == "杭州已知公司"
    report = run("shell", "-c", REPORT)
    assert report.stdout.splitlines()[-1].split() == ["done", "3", "1", "1", "1", "1"]


def test_a_refusal_still_exits_with_status_1_and_says_why(run, tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("code\n91330106MA2AAAAA0X\n", encoding="utf-8")
    done = run("screen", str(source), "-o", str(tmp_path / "out.csv"), "--scenario", "x",
               "--department", "nowhere", "--no-progress")  # fmt: skip
    assert done.returncode == 1
    assert "部门不存在：nowhere" in done.stderr
