"""Benchmark: batch screening by code (``xinyong screen``) on PostgreSQL.

Targets (the checks issue, item 6): 1,000,000 input rows against 1,000,000 subjects and 100,000
effective entries at ≥ 200,000 rows/s end to end, and within 3× of a bare DuckDB join of the same
keys, measured in the same run. ``screen`` runs as its own process (``xinyong screen``), so the
time is end to end: start-up, reading, look-ups, measures, writing. The baseline copies the
subject identifiers out of PostgreSQL to CSV and lets DuckDB left-join the input file with them
and write the joined rows to CSV — the least any screening must do. The platform's modules are
compiled to bytecode first, as an installed copy's are (``bytecode``), and each side runs once
untimed before the timed runs, which alternate.

    .venv/bin/python bench/screening.py [--url postgres://postgres@127.0.0.1:5432/postgres]
                                        [--subjects 1000000] [--entries 100000]
                                        [--rows 1000000] [--repeat 3] [--keep]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
from bytecode import compile_source
from scratch_db import create_database, drop_database, setup_django

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
DAY = dt.date(2026, 11, 23)
PERSON_SHARE = 10  # one subject in ten is a natural person
SCENARIO = "government_procurement"
DEPARTMENT = "czj"


# -- identifiers: built valid from a number, so every seeded subject passes its check ----------


def uscc(n: int) -> str:
    from xinyong.core.identifiers import organization_code_check_character, uscc_check_character

    org8 = f"{n % 10**8:08d}"
    first17 = f"91330106{org8}{organization_code_check_character(org8)}"
    return first17 + uscc_check_character(first17)


def citizen_id(n: int) -> str:
    from xinyong.core.identifiers import citizen_id_check_character

    born = dt.date(1950, 1, 1) + dt.timedelta(days=n // 1000)
    first17 = f"330106{born:%Y%m%d}{n % 1000:03d}"
    return first17 + citizen_id_check_character(first17)


def identifier(n: int) -> str:
    """Subject number n (1-based): every tenth is a person."""
    return citizen_id(n) if n % PERSON_SHARE == 0 else uscc(n)


# -- seeding ----------------------------------------------------------------------------------


def reference_data(work: Path) -> dict[str, int]:
    """Departments, domains, lists and a scenario through the ORM; measures through the loader."""
    from xinyong.listings.models import ListDefinition
    from xinyong.measures.loading import load_measures_file
    from xinyong.measures.models import Scenario
    from xinyong.subjects.models import Department, Domain, Region

    region = Region.objects.create(code="330106", name="西湖区", level="county")
    dept = Department.objects.create(code="scjg", name="市场监管局", level="city", region=region)
    Department.objects.create(
        code=DEPARTMENT, name="财政局", level="city", region=region, is_implementing=True
    )
    domains = [
        Domain.objects.create(code=f"d{i}", name=f"领域{i}", dishonesty_category=2)
        for i in range(4)
    ]
    Scenario.objects.create(code=SCENARIO, name="政府采购")

    def make(code, kind, domain, **extra):
        return ListDefinition.objects.create(
            code=code, name=f"{domain.name}{code}名单", kind=kind, domain=domain,
            recognizing_department=dept, criteria="标准", legal_basis="依据", **extra,
        ).pk  # fmt: skip

    lists = {
        "black": make("black", "black", domains[0]),
        "red": make("red", "red", domains[1]),
        "attention": make("attention", "key_attention", domains[2]),
        "court": make("court", "black", domains[3], objection_suspends_measures=False),
    }
    measures = work / "measures.csv"
    with measures.open("w", encoding="utf-8", newline="") as stream:
        out = csv.writer(stream)
        out.writerow(["序号", "事项", "内容", "对象", "政策依据", "实施层级", "实施频次", "类型",
                      "性质", "名单类别", "领域", "业务场景"])  # fmt: skip
        for i in range(20):
            reward = i % 5 == 4
            out.writerow([
                i + 1, f"措施{i + 1}", "内容", "机构、法定代表人" if i % 2 else "机构;自然人",
                f"依据第{i + 1}条", "市", "每次", "激励" if reward else "惩戒",
                "强制性" if i % 3 else "推荐性",
                "红名单" if reward else "严重失信主体名单;重点关注名单",
                "不限" if i % 4 else domains[i % 4].name, SCENARIO,
            ])  # fmt: skip
    load_measures_file(measures, actor="bench")
    return lists


def bulk_rows(url: str, lists: dict[str, int], subjects: int, entries: int) -> None:
    """Subjects by COPY (their check characters come from Python, and their stored forms — a
    person's ID masked, sealed and hashed — from the platform's own functions), entries by
    generate_series."""
    from xinyong.subjects.protection import stored_identifier

    with psycopg.connect(url) as connection:
        columns = ("kind, name, identifier, identifier_digest, identifier_sealed,"
                   " identifier_status, created_at")  # fmt: skip
        with connection.cursor().copy(f"COPY subjects_subject ({columns}) FROM STDIN") as copy:
            now = dt.datetime.now(dt.UTC)
            for n in range(1, subjects + 1):
                person = n % PERSON_SHARE == 0
                stored = stored_identifier(identifier(n), personal=person)
                copy.write_row((
                    "natural_person" if person else "legal_person",
                    f"张{n}" if person else f"杭州示例{n}号科技有限公司", stored.shown,
                    stored.digest, stored.sealed, "valid", now,
                ))  # fmt: skip
        # Entry g is on subject 10g − 9 (organisations and persons alike); g % 10 picks the list,
        # g % 50 = 0 is under an objection.
        step = max(1, subjects // entries)
        connection.execute(
            """INSERT INTO listings_listentry (list_id, subject_id, state, exit_reason, facts,
                   basis, decision_document_number, proposed_on, publicity_ends_provisional,
                   effective_on, valid_until, verification_due_on, channel, version, created_at)
               SELECT CASE WHEN g %% 10 < 6 THEN %(black)s WHEN g %% 10 < 8 THEN %(red)s
                           WHEN g %% 10 = 8 THEN %(attention)s ELSE %(court)s END,
                   s.id, 'effective', '', '事实', '依据', '', %(day)s::date - 90, false,
                   %(day)s::date - 30, %(day)s::date + 1000 + g %% 300,
                   CASE WHEN g %% 50 = 0 THEN %(day)s::date + 10 END, 'credit-portal', 1, now()
               FROM generate_series(1, %(n)s) g
               JOIN subjects_subject s ON s.id = (g - 1) * %(step)s + 1
            """,
            {**lists, "n": entries, "day": DAY, "step": step},
        )
        # Persons named in organisations' black-list entries (落实到人): one entry in twenty.
        connection.execute(
            """INSERT INTO listings_listentryperson (entry_id, person_id, role)
               SELECT e.id, e.subject_id + 9, 'legal_representative'
               FROM listings_listentry e
               WHERE e.list_id = %s AND e.id %% 20 = 1 AND e.subject_id + 9 <= %s""",
            [lists["black"], subjects],
        )
        connection.commit()
        connection.autocommit = True
        connection.execute("VACUUM ANALYZE")
        # The load's pages written now: its checkpoint is not the screening's to wait for.
        connection.execute("CHECKPOINT")


def input_file(path: Path, subjects: int, rows: int, seed: int = 4) -> dict[str, int]:
    """Codes: 94% known subjects, 5% well-formed but unknown, 1% malformed."""
    rng = random.Random(seed)
    counts = {"known": 0, "unknown": 0, "malformed": 0}
    with path.open("w", encoding="utf-8", newline="") as stream:
        out = csv.writer(stream)
        out.writerow(["code", "ref"])
        for i in range(rows):
            draw = rng.random()
            if draw < 0.94:
                code, what = identifier(rng.randint(1, subjects)), "known"
            elif draw < 0.99:
                code, what = identifier(subjects + rng.randint(1, 10**7)), "unknown"
            else:
                code, what = identifier(rng.randint(1, subjects))[:-1] + "Z", "malformed"
            counts[what] += 1
            out.writerow([code, f"REF-{i}"])
    return counts


# -- the run ----------------------------------------------------------------------------------


def run_screen(url: str, source: Path, target: Path, var: Path) -> tuple[float, int, str, float]:
    """``xinyong screen`` as its own process: wall time, peak RSS (KiB), its summary, and the
    CPU seconds it and its forked half used (PostgreSQL's are not counted)."""
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench-only",
           "XINYONG_VAR_DIR": str(var), "DJANGO_SETTINGS_MODULE": "xinyong.settings"}  # fmt: skip
    command = [str(ROOT / ".venv/bin/xinyong"), "screen", str(source), "-o", str(target),
               "--scenario", SCENARIO, "--department", DEPARTMENT, "--no-progress"]  # fmt: skip
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    out, err = process.stdout.read().decode(), process.stderr.read().decode()  # type: ignore[union-attr]
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"screen failed:\n{out}\n{err}")
    return elapsed, usage.ru_maxrss, out, usage.ru_utime + usage.ru_stime


def duckdb_baseline(url: str, source: Path, work: Path) -> tuple[float, float, int, float]:
    """Copy the subjects out of PostgreSQL, then DuckDB left-joins and writes the rows.

    Citizen IDs are stored only sealed and hashed, so the copy carries each subject's row
    number and the bench, which made every identifier from its number, joins on that: the
    same keys, and none of the platform's work of hashing each input code.
    """
    import duckdb

    keys, target = work / "subjects.csv", work / "duckdb-out.csv"
    codes = work / "codes.csv"  # each subject's identifier in clear, by row number: not timed
    if not codes.exists():
        with psycopg.connect(url) as connection:
            count = connection.execute("SELECT max(id) FROM subjects_subject").fetchone()[0]
        with codes.open("w", encoding="utf-8", newline="") as stream:
            csv.writer(stream).writerows((identifier(n), n) for n in range(1, count + 1))
    cpu = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    with psycopg.connect(url) as connection, keys.open("wb") as stream:
        query = "COPY (SELECT id, name, kind FROM subjects_subject) TO STDOUT (FORMAT csv)"
        with connection.cursor().copy(query) as copy:
            for block in copy:
                stream.write(block)
    copied = time.perf_counter()
    duck = duckdb.connect()
    duck.execute(f"""
        COPY (
            SELECT i.*, CASE WHEN s.id IS NULL THEN 'unknown' ELSE 'ok' END AS status,
                   c.identifier AS subject_code, s.name AS subject_name
            FROM read_csv('{source}', header = true, all_varchar = true) i
            LEFT JOIN read_csv('{codes}', header = false, all_varchar = true,
                               names = ['identifier', 'id']) c
              ON c.identifier = upper(trim(i.code))
            LEFT JOIN read_csv('{keys}', header = false, all_varchar = true,
                               names = ['id', 'name', 'kind']) s
              ON s.id = c.id
        ) TO '{target}' (HEADER, DELIMITER ',')""")  # fmt: skip
    joined = time.perf_counter()
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu_seconds = after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime
    rows = duck.execute(f"SELECT count(*) FROM read_csv('{target}')").fetchone()[0]  # type: ignore[index]
    return joined - started, copied - started, rows, cpu_seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--subjects", type=int, default=1_000_000)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each; the median counts")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database and files")
    args = parser.parse_args()
    name = f"xinyong_bench_screening_{os.getpid()}"
    url = create_database(args.url, name)
    work = Path(tempfile.mkdtemp(prefix="xinyong-bench-screening-"))
    try:
        setup_django(url)
        started = time.perf_counter()
        bulk_rows(url, reference_data(work), args.subjects, args.entries)
        source = work / "input.csv"
        mix = input_file(source, args.subjects, args.rows)
        seconds = time.perf_counter() - started
        print(f"seeded {args.subjects:,} subjects, {args.entries:,} effective entries and a "
              f"{args.rows:,}-row input ({mix}) in {seconds:.1f} s")  # fmt: skip
        from django.db import connections

        connections.close_all()
        compile_source()
        small = work / "small.csv"
        with source.open() as full, small.open("w") as part:
            part.writelines(line for _, line in zip(range(args.rows // 20 + 1), full, strict=False))
        _, small_rss, _, _ = run_screen(url, small, work / "small-out.csv", work)
        # One untimed run of each first, as a server that has screened before: the subject
        # table read into PostgreSQL's cache, DuckDB's module loaded.
        run_screen(url, source, work / "out.csv", work)
        duckdb_baseline(url, source, work)
        runs = []
        for attempt in range(args.repeat):  # alternately, so that both meet the same machine
            elapsed, rss, summary, cpu = run_screen(url, source, work / "out.csv", work)
            bare, copy_out, joined, duck_cpu = duckdb_baseline(url, source, work)
            runs.append((elapsed / bare, elapsed, bare, copy_out, rss))
            print(f"run {attempt + 1}: screen {elapsed:.2f} s ({args.rows / elapsed:,.0f} rows/s,"
                  f" {cpu:.2f} CPU s), DuckDB {bare:.2f} s (copy-out {copy_out:.2f} s,"
                  f" {duck_cpu:.2f} CPU s here), ratio {elapsed / bare:.2f}")  # fmt: skip
        print(summary.rstrip())
        middle = len(runs) // 2  # medians, each on its own: the machine is shared and noisy
        ratio = sorted(run[0] for run in runs)[middle]
        elapsed, bare, copy_out = (sorted(run[i] for run in runs)[middle] for i in (1, 2, 3))
        rss = max(run[4] for run in runs)
        rate = args.rows / elapsed
        print(
            f"median screen end to end (own process, start-up included): {elapsed:.2f} s, "
            f"{rate:,.0f} rows/s (target ≥ 200,000: {'yes' if rate >= 200_000 else 'NO'})"
        )
        print(
            f"median DuckDB baseline: {bare:.2f} s ({copy_out:.2f} s copying {args.subjects:,} "
            f"identifiers out of PostgreSQL, then the join and the write; {joined:,} rows)"
        )
        print(f"median ratio screen / DuckDB: {ratio:.2f} (target ≤ 3.0: "
              f"{'yes' if ratio <= 3 else 'NO'})")  # fmt: skip
        print(f"peak memory: {rss / 1024:.0f} MiB for {args.rows:,} rows, "
              f"{small_rss / 1024:.0f} MiB for {args.rows // 20:,} rows")  # fmt: skip
        print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    finally:
        if not args.keep:
            import shutil

            from django.db import connections

            connections.close_all()
            drop_database(args.url, name)
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"kept: database {name}, files in {work}")


if __name__ == "__main__":
    main()
