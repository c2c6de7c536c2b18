"""Crash test: kill -9 an import of 1,000,000 penalties at a random moment, run the same command
again, and check that exactly the file's rows are recorded — none lost, none doubled.

Each trial starts from a fresh copy of a prepared database (PostgreSQL: ``CREATE DATABASE …
TEMPLATE``; SQLite: a copy of the file), starts ``xinyong import penalties FILE`` as a child
process, sends it SIGKILL after a random delay spread over a whole import's duration (measured
first, uninterrupted), then runs the same command to its end and checks:

* the credit records number exactly the file's rows, and every row's identity once;
* the job is done, and its counters account for every row: rows = accepted + quarantined,
  accepted = inserted + already recorded, inserted = the file's rows;
* the subjects number exactly the file's distinct subjects.

    .venv/bin/python bench/ingest_crash.py [--rows 1000000] [--trials 20] [--seed 1]
                                           [--url postgres://postgres@127.0.0.1:5432/postgres]
                                           [--sqlite] [--file F]
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))

# The generator and the setup of the throughput bench, beside this file.
from ingest import (
    DEPARTMENT,
    ROOT,
    create_database,
    drop_database,
    environment,
    generate,
    prepare,
)

XINYONG = str(ROOT / ".venv" / "bin" / "xinyong")
CHECKS = {
    "records": "SELECT count(*) FROM catalog_creditrecord",
    "identities": "SELECT count(*) FROM (SELECT DISTINCT department_id, document_number,"
    " subject_id FROM catalog_creditrecord) x",
    "subjects": "SELECT count(*) FROM subjects_subject",
    "job": "SELECT status, rows_done, accepted, quarantined, inserted, already_recorded, runs"
    " FROM catalog_importjob ORDER BY id",
}


class Database:
    """A prepared database and fresh copies of it, on PostgreSQL or SQLite."""

    def __init__(self, args: argparse.Namespace, scratch: Path) -> None:
        self.args, self.scratch = args, scratch
        self.sqlite = args.sqlite
        self.template = f"xinyong_crash_template_{os.getpid()}"
        if self.sqlite:
            self.template_file = scratch / "template.sqlite3"
            prepare(environment(f"sqlite:///{self.template_file}", str(scratch)))
        else:
            url = create_database(args.url, self.template)
            prepare(environment(url, str(scratch)))

    def fresh(self, trial: int) -> str:
        """A new copy; its DATABASE_URL."""
        if self.sqlite:
            target = self.scratch / f"trial-{trial}.sqlite3"
            for suffix in ("", "-wal", "-shm"):
                Path(f"{target}{suffix}").unlink(missing_ok=True)
            shutil.copyfile(self.template_file, target)
            return f"sqlite:///{target}"
        name = f"xinyong_crash_{os.getpid()}_{trial}"
        with psycopg.connect(self.args.url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
        return self.args.url.rsplit("/", 1)[0] + f"/{name}"

    def drop(self, url: str) -> None:
        if self.sqlite:
            path = url.removeprefix("sqlite:///")
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        else:
            drop_database(self.args.url, url.rsplit("/", 1)[1])

    def close(self) -> None:
        if not self.sqlite:
            drop_database(self.args.url, self.template)

    def query(self, url: str, sql: str) -> list[tuple]:
        if self.sqlite:
            with sqlite3.connect(url.removeprefix("sqlite:///")) as connection:
                return connection.execute(sql).fetchall()
        with psycopg.connect(url) as connection:
            return connection.execute(sql).fetchall()


def command(path: Path) -> list[str]:
    return [XINYONG, "import", "penalties", str(path), "--department", DEPARTMENT, "--no-progress"]


def run_to_end(path: Path, env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command(path), env=env, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)  # fmt: skip
    return time.perf_counter() - started


def distinct_subjects(path: Path) -> int:
    with path.open(encoding="utf-8") as stream:
        rows = csv.reader(stream)
        header = next(rows)
        code, number = header.index("CF_XDR_SHXYM"), header.index("CF_XDR_ZJHM")
        return len({row[code] or row[number] for row in rows})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--sqlite", action="store_true", help="SQLite instead of PostgreSQL")
    parser.add_argument("--file", type=Path, help="use (or make once) this file")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        path = args.file or scratch / "penalties.csv"
        if not path.exists():
            generate(path, args.rows)
        subjects = distinct_subjects(path)
        database = Database(args, scratch)
        try:
            url = database.fresh(0)
            full = run_to_end(path, environment(url, str(scratch)))
            database.drop(url)
            print(f"{'sqlite' if args.sqlite else 'postgresql'}: {args.rows:,} rows, "
                  f"{subjects:,} subjects; an uninterrupted import takes {full:.1f} s")  # fmt: skip
            passed = 0
            for trial in range(1, args.trials + 1):
                url = database.fresh(trial)
                env = environment(url, str(scratch))
                delay = rng.uniform(0.01, 0.99) * full  # from its first second to its end
                child = subprocess.Popen(command(path), env=env, stdout=subprocess.DEVNULL,
                                         stderr=subprocess.DEVNULL)  # fmt: skip
                time.sleep(delay)
                finished_first = child.poll() is not None
                if not finished_first:
                    os.kill(child.pid, signal.SIGKILL)
                child.wait()
                before = database.query(url, CHECKS["records"])[0][0]
                jobs = database.query(url, CHECKS["job"])
                rows_done = jobs[0][1] if jobs else 0
                again = run_to_end(path, env)
                records = database.query(url, CHECKS["records"])[0][0]
                identities = database.query(url, CHECKS["identities"])[0][0]
                recorded_subjects = database.query(url, CHECKS["subjects"])[0][0]
                jobs = database.query(url, CHECKS["job"])
                status, rows, accepted, quarantined, inserted, already, runs = jobs[-1]
                ok = (
                    records == identities == args.rows and len(jobs) == 1 and status == "done"
                    and rows == accepted + quarantined == args.rows
                    and accepted == inserted + already and inserted == args.rows
                    and recorded_subjects == subjects
                )  # fmt: skip
                passed += ok
                print(f"trial {trial:2d}: killed after {delay:5.1f} s"
                      f"{' (had finished)' if finished_first else ''} with {before:,} records"
                      f" ({rows_done:,} rows checkpointed); rerun {again:5.1f} s, runs {runs}:"
                      f" {records:,} records, {recorded_subjects:,} subjects, job {status}"
                      f" {rows:,} = {accepted:,} + {quarantined:,} — {'ok' if ok else 'WRONG'}",
                      flush=True)  # fmt: skip
                database.drop(url)
        finally:
            database.close()
    print(f"exact after kill -9 and rerun: {passed}/{args.trials} trials")
    if passed != args.trials:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
