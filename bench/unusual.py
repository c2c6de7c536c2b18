"""Benchmark: flagging unusual use (R14) over a month of lookups, on PostgreSQL.

The reviewer's page (``/office/queries/``) and ``xinyong audit queries --unusual`` flag, at
each load, the accounts that looked up more natural persons within a sliding window than their
limit allows. A month of a city's lookups is seeded here: officers' page views (registrations)
and implementing systems' checks of persons, at rates chosen per run, with a few accounts over
their limits. The baseline, measured in the same run, is what flagging did before the database
bounded the days: every lookup of the month read into Python (the same two queries, every
row). The figure to compare between runs is flagging's time as a share of that read.

    .venv/bin/python bench/unusual.py [--url postgres://postgres@127.0.0.1:5432/postgres]
        [--officers 200] [--per-officer 20] [--systems 5] [--per-system 2000] [--days 30]
        [--keep]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import sys
import time
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))
from tick import create_database, drop_database, setup_django  # a sibling script

FIRST_DAY = dt.date(2026, 10, 24)
PERSONS = 50_000  # natural persons looked up, ids 1..PERSONS


def seed(url: str, args: argparse.Namespace) -> dict[str, int]:
    """Reference rows through the ORM, the month's lookups by generate_series."""
    from xinyong.api import tokens
    from xinyong.audit import purposes
    from xinyong.audit.models import QueryPurpose
    from xinyong.measures.models import Scenario
    from xinyong.subjects.models import Department, Officer, Region

    purposes.ensure_built_in(QueryPurpose)
    region = Region.objects.create(code="330106", name="西湖区", level="county")
    office = Department.objects.create(code="scjg", name="市场监管局", level="city",
                                       region=region, is_recognizing=True)  # fmt: skip
    scenario = Scenario.objects.create(code="financing", name="融资授信")
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    for n in range(args.officers):
        Officer.objects.create(user=users.create(username=f"officer{n}"), department=office)
    for n in range(args.systems):
        system = Department.objects.create(code=f"sys{n}", name=f"实施部门{n}", level="city",
                                           region=region, is_implementing=True)  # fmt: skip
        tokens.system_account(system)
    start = f"{FIRST_DAY.isoformat()} 08:00+08"
    with psycopg.connect(url) as connection:
        run = connection.execute
        run("""INSERT INTO subjects_subject (id, kind, name, identifier, identifier_digest,
                   identifier_sealed, identifier_status, created_at)
               SELECT g, 'natural_person', '张' || g, 'Z' || lpad(g::text, 17, '0'),
                   'Z' || lpad(g::text, 17, '0'), '', 'valid', now()
               FROM generate_series(1, %s) g""", [PERSONS])  # fmt: skip
        run("SELECT setval(pg_get_serial_sequence('subjects_subject', 'id'), %s)", [PERSONS])
        # Officers: ``per-officer`` persons a day each, spread over office hours; officer0 looks
        # up three times as many on the tenth day (over an officer's limit of 50).
        run("""INSERT INTO audit_queryregistration (at, account_id, actor, department_id, role,
                   purpose_id, purpose_detail, kind, route, subject_id, natural_persons, rows,
                   client_address)
               SELECT %(start)s::timestamptz + d * interval '1 day' + i * interval '25 minutes',
                   u.id, u.username, %(office)s, 'recognizing_officer', 'credit_repair', '',
                   'subject_page', 'GET /office/subjects/<int:subject_id>/',
                   1 + (u.id * 7919 + d * 101 + i) %% %(persons)s, 1, 1, '10.0.0.8'
               FROM auth_user u, generate_series(0, %(days)s - 1) d,
                   generate_series(0, %(per)s * CASE WHEN u.username = 'officer0' AND d = 9
                                                     THEN 3 ELSE 1 END - 1) i
               WHERE u.username LIKE 'officer%%'""",
            {"start": start, "office": office.pk, "persons": PERSONS, "days": args.days,
             "per": args.per_officer})  # fmt: skip
        # Systems: ``per-system`` checks of persons a day each, round the clock; sys0 checks
        # three times as many on the tenth day (over a system's limit of 5,000).
        run("""INSERT INTO measures_check (id, created_at, as_of, user_id, department_id,
                   scenario_id, subject_id, query_identifier, query_name, result, response)
               SELECT gen_random_uuid(),
                   %(start)s::timestamptz + d * interval '1 day'
                       + i * interval '86400 seconds' / (%(per)s * 3),
                   %(first)s::date + d, u.id, o.department_id, %(scenario)s,
                   1 + (u.id * 104729 + d * 977 + i) %% %(persons)s, '', '', 'clear', '{}'
               FROM auth_user u JOIN subjects_officer o ON o.user_id = u.id,
                   generate_series(0, %(days)s - 1) d,
                   generate_series(0, %(per)s * CASE WHEN u.username = 'system:sys0' AND d = 9
                                                     THEN 3 ELSE 1 END - 1) i
               WHERE u.username LIKE 'system:sys%%'""",
            {"start": start, "first": FIRST_DAY, "scenario": scenario.pk, "persons": PERSONS,
             "days": args.days, "per": args.per_system})  # fmt: skip
        connection.commit()
        connection.autocommit = True
        run("VACUUM ANALYZE")
        counts = {
            "registrations": run("SELECT count(*) FROM audit_queryregistration").fetchone()[0],
            "checks": run("SELECT count(*) FROM measures_check").fetchone()[0],
        }
    return counts


def read_everything(since: dt.date, until: dt.date) -> int:
    """The baseline: every lookup of the dates into Python, as flagging once read them."""
    from xinyong.audit import unusual

    registrations, checks = unusual._sources(since, until)
    rows = registrations.values_list("account_id", "at", "subject_id", "subject__kind",
                                     "natural_persons")  # fmt: skip
    count = sum(1 for _ in rows.iterator(chunk_size=5000))
    rows = checks.values_list("user_id", "created_at", "subject_id")
    return count + sum(1 for _ in rows.iterator(chunk_size=5000))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--officers", type=int, default=200)
    parser.add_argument("--per-officer", type=int, default=20, help="persons a day")
    parser.add_argument("--systems", type=int, default=5)
    parser.add_argument("--per-system", type=int, default=2000, help="person checks a day")
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args()
    name = f"xinyong_bench_unusual_{os.getpid()}"
    url = create_database(args.url, name)
    try:
        setup_django(url)
        started = time.perf_counter()
        counts = seed(url, args)
        print(f"seeded {counts['registrations']:,} registrations and {counts['checks']:,} "
              f"checks over {args.days} days in {time.perf_counter() - started:.1f} s")  # fmt: skip
        from xinyong.audit import unusual

        since, until = FIRST_DAY, FIRST_DAY + dt.timedelta(days=args.days - 1)
        baseline, flagging = [], []
        for _ in range(3):  # alternating, so that a noisy neighbour hurts both alike
            began = time.perf_counter()
            read = read_everything(since, until)
            baseline.append(time.perf_counter() - began)
            began = time.perf_counter()
            flagged = unusual.flagged_accounts(since, until)
            flagging.append(time.perf_counter() - began)
        best_base, best_flag = min(baseline), min(flagging)
        named = ", ".join(f"{a.actor} ({a.persons} > {a.limit})" for a in flagged.values())
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        print(f"baseline:  every lookup read into Python ({read:,} rows): {best_base:.2f} s")
        print(f"flagging:  {best_flag:.2f} s; flagged: {named}")
        print(f"ratio:     flagging / baseline = {best_flag / best_base:.2f} (best of 3 each); "
              f"peak RSS {peak_mb} MB")  # fmt: skip
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            drop_database(args.url, name)


if __name__ == "__main__":
    main()
