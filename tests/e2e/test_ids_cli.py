"""``xinyong ids check VALUE...`` (DOMAIN.md §4): one line per value, exit 1 unless all are valid.

No test here is marked for the database: pytest-django would refuse any query, so passing
shows the command does not need one.
"""

import datetime as dt
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import given, settings
from hypothesis import strategies as st

from xinyong.core.identifiers import (
    citizen_id_check_character,
    organization_code_check_character,
    uscc_check_character,
)


def build_uscc(first16: str) -> str:
    """Authority, type, region and 8-character organisation code → the full 18 characters."""
    first17 = first16 + organization_code_check_character(first16[8:])
    return first17 + uscc_check_character(first17)


N_CODE = build_uscc("N2" + "320583" + "50000001")  # a village collective under authority N
WRONG_CHECK = N_CODE[:17] + ("0" if N_CODE[17] != "0" else "1")
CITIZEN_ID = "11010519491231002X"


def run_check(*values: str) -> tuple[list[str], CommandError | None]:
    out = StringIO()
    try:
        call_command("ids", "check", "--date", "2025-06-01", "--", *values, stdout=out)
    except CommandError as exc:
        return out.getvalue().splitlines(), exc
    return out.getvalue().splitlines(), None


def test_accepts_a_code_of_registering_authority_n():
    lines, error = run_check(N_CODE)
    assert error is None
    assert lines == [f"{N_CODE}\tvalid\tuscc\tuscc-ok 统一社会信用代码有效"]


def test_all_valid_values_exit_quietly():
    lines, error = run_check(N_CODE, CITIZEN_ID, "９１１１００００６０００３７３４１ｌ")
    assert error is None
    assert [line.split("\t")[1:3] for line in lines] == [
        ["valid", "uscc"],
        ["valid", "citizen_id"],
        ["valid", "uscc"],
    ]


def test_a_wrong_check_character_is_invalid_accepted_for_review_with_its_reason():
    lines, error = run_check(WRONG_CHECK)
    value, verdict, kind, reason = lines[0].split("\t")
    assert (value, verdict, kind) == (WRONG_CHECK, "invalid", "uscc")
    assert reason.startswith("accepted for review: uscc-check-character ")
    assert "校验码" in reason
    assert error is not None and error.returncode == 1


def test_one_line_per_value_in_order_and_exit_1_when_any_is_not_valid():
    values = [N_CODE, "110105194912310021", "110105491231002", "", "hello\nworld"]
    lines, error = run_check(*values)
    assert [line.split("\t")[1] for line in lines] == ["valid"] + ["invalid"] * 4
    assert [line.split("\t")[3].split()[0] for line in lines[1:]] == [
        "ric-check-character",
        "ric-legacy-15",
        "empty",
        "unknown-format",
    ]
    assert lines[4].startswith("hello\\nworld\t")
    assert str(error) == "4 of 5 values are not valid"


def test_the_date_option_is_the_business_date_for_birth_dates():
    first17 = "110105" + "20250602" + "001"
    born_tomorrow = first17 + citizen_id_check_character(first17)
    lines, error = run_check(born_tomorrow)
    assert "ric-future-birth-date" in lines[0] and error is not None


def test_a_subcommand_is_required():
    with pytest.raises(CommandError, match="action"):
        call_command("ids")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(), min_size=1, max_size=4))
def test_never_crashes_on_any_input(values):
    lines, error = run_check(*values)
    assert len(lines) == len(values)
    assert all(len(line.split("\t")) == 4 for line in lines)
    assert (error is None) == all(line.split("\t")[1] == "valid" for line in lines)


def test_the_console_script(tmp_path):
    """The installed ``xinyong`` script, from a scratch directory, with nothing but a secret."""
    env = {
        k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}
    }
    env |= {
        "SECRET_KEY": "e2e-only-secret",
        "XINYONG_VAR_DIR": str(tmp_path / "var"),
        "XINYONG_TODAY": dt.date(2025, 6, 1).isoformat(),
        "PYTHONIOENCODING": "utf-8",
    }
    script = Path(sys.executable).with_name("xinyong")
    values = [N_CODE, WRONG_CHECK, "中文 ＡＢＣ", "\t", "-5"]
    done = subprocess.run(
        [script, "ids", "check", "--", *values],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    assert [line.split("\t")[1] for line in lines] == ["valid"] + ["invalid"] * 4
    assert "accepted for review: uscc-check-character" in lines[1]
    assert "Traceback" not in done.stderr and "4 of 5 values are not valid" in done.stderr
    assert not list((tmp_path / "var").glob("*.sqlite3"))  # no database was opened
