"""Benchmark: ``xinyong demo`` into a fresh temporary SQLite database.

Prints subjects/s and the elapsed time, and — because this machine is noisy — a baseline measured
in the same run: a raw ``executemany`` INSERT of as many plain rows into a table shaped like the
subjects table, in a database with the same settings. The ratio (demo ÷ baseline) is the figure
to compare between runs; the absolute times are not.

    .venv/bin/python bench/demo_data.py [--subjects 100000] [--seed 2026]
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

BASELINE_TABLE = """
CREATE TABLE subject (
    id integer NOT NULL PRIMARY KEY AUTOINCREMENT,
    kind varchar(32) NOT NULL,
    name varchar(200) NOT NULL,
    identifier varchar(18) NOT NULL,
    identifier_status varchar(16) NOT NULL,
    identifier_digest varchar(64) NOT NULL UNIQUE,
    identifier_sealed varchar(128) NOT NULL,
    region_id varchar(6) NULL,
    created_at datetime NOT NULL
)
"""


def baseline(directory: Path, rows: int) -> float:
    """Seconds to insert ``rows`` plain subject-like rows with one executemany, and commit (the
    look-up hash precomputed: the baseline pays for no hashing or encryption)."""
    connection = sqlite3.connect(directory / "baseline.sqlite3")
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute(BASELINE_TABLE)
    connection.execute("CREATE INDEX subject_name ON subject (name)")
    connection.execute("CREATE INDEX subject_kind_region ON subject (kind, region_id)")
    connection.commit()
    values = [
        ("legal_person", f"杭州示例{i}号科技有限公司", f"91330106{i:010d}", "valid",
         f"{i:064x}", "", "330106", "2026-11-22 08:00:00")
        for i in range(rows)
    ]  # fmt: skip
    started = time.perf_counter()
    connection.executemany(
        "INSERT INTO subject (kind, name, identifier, identifier_status, identifier_digest,"
        " identifier_sealed, region_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        values,
    )
    connection.commit()
    seconds = time.perf_counter() - started
    connection.close()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subjects", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--quiet", action="store_true", help="hide the demo's own progress")
    args = parser.parse_args()

    directory = Path(tempfile.mkdtemp(prefix="xinyong-bench-"))
    try:
        os.environ["DATABASE_URL"] = f"sqlite:///{directory / 'demo.sqlite3'}"
        os.environ["SECRET_KEY"] = "bench-only-secret-key-not-for-any-deployment"
        os.environ["XINYONG_VAR_DIR"] = str(directory)
        os.environ["DJANGO_SETTINGS_MODULE"] = "xinyong.settings"
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)

        base = baseline(directory, args.subjects)
        output = io.StringIO() if args.quiet else sys.stdout
        started = time.perf_counter()
        call_command("demo", subjects=args.subjects, seed=args.seed, stdout=output)
        elapsed = time.perf_counter() - started
    finally:
        shutil.rmtree(directory, ignore_errors=True)

    print()
    print(f"demo load:  {args.subjects:,} subjects in {elapsed:.1f} s "
          f"= {args.subjects / elapsed:,.0f} subjects/s")  # fmt: skip
    print(f"baseline:   {args.subjects:,} plain rows by raw executemany in {base:.2f} s "
          f"= {args.subjects / base:,.0f} rows/s")  # fmt: skip
    print(f"ratio:      demo / baseline = {elapsed / base:.1f}×")


if __name__ == "__main__":
    main()
