"""Benchmark: the joint reward and punishment statistics over a province's year of reports.

A year of feedback at a provincial platform is on the order of a million measure outcomes (a
few reports a second, two or three measures each). This bench puts ``--outcomes`` of them on
PostgreSQL, spread over 365 days, 20 implementing departments and 200,000 red, black and
key-attention entries, and times what the page and the API compute on each load: the figures
by each grouping and the case share, for the whole platform and for one department. No target
is set by an issue; the figures say where a summary table would become worth its upkeep.

The baseline, measured in the same run: a bare ``SELECT department_id, count(*) ... GROUP BY``
over the same outcome rows, the least any grouped figure over them can cost.

    .venv/bin/python bench/joint_statistics.py [--url postgres://postgres@127.0.0.1:5432/postgres]
                                               [--outcomes 1000000] [--keep]
"""

from __future__ import annotations

import argparse
import datetime as dt
import time

import psycopg
from scratch_db import create_database, drop_database, setup_django

DAY = dt.date(2026, 12, 31)
DEPARTMENTS, ENTRIES = 20, 200_000


def reference_data() -> dict[str, object]:
    """Departments, domains, lists, measures, a scenario and an account, through the ORM."""
    from django.contrib.auth import get_user_model

    from xinyong.listings.models import ListDefinition
    from xinyong.measures.models import Measure, Scenario
    from xinyong.subjects.models import Department, Domain, Region

    region = Region.objects.create(code="330106", name="西湖区", level="county")
    office = Department.objects.create(code="xyb", name="信用办", level="city", region=region,
                                       is_credit_office=True)  # fmt: skip
    departments = []
    for i in range(DEPARTMENTS):
        departments.append(Department.objects.create(
            code=f"d{i}", name=f"部门{i}", level="city", region=region, is_implementing=True,
            is_recognizing=True,
        ))  # fmt: skip
    domains = [Domain.objects.create(code=f"dom{i}", name=f"领域{i}") for i in range(8)]
    lists = [
        ListDefinition.objects.create(
            code=f"l{i}", name=f"名单{i}", kind=("black", "red", "key_attention")[i % 3],
            domain=domains[i % 8], recognizing_department=departments[i % DEPARTMENTS],
            criteria="标准", legal_basis="依据", validity_value=3,
        ).pk
        for i in range(24)
    ]  # fmt: skip
    measures = [
        Measure.objects.create(
            code=f"m{i}", name=f"措施{i}", content="内容", legal_basis="依据",
            type="reward" if i % 4 == 0 else "punishment", mandatory=i % 2 == 0,
        ).pk
        for i in range(30)
    ]  # fmt: skip
    return {
        "office": office,
        "departments": [d.pk for d in departments],
        "lists": lists,
        "measures": measures,
        "scenario": Scenario.objects.create(code="procurement", name="政府采购").pk,
        "user": get_user_model().objects.create(username="system:d0").pk,
    }


def bulk_rows(url: str, ids: dict, outcomes: int) -> None:
    """Entries, then per report one check, one feedback and one to three outcomes."""
    reports = outcomes // 2
    lists = ids["lists"]
    with psycopg.connect(url) as connection:
        run = connection.execute
        run("""INSERT INTO subjects_subject (kind, name, identifier, identifier_digest,
                   identifier_sealed, identifier_status, created_at)
               SELECT 'legal_person', '企业' || g, lpad(g::text, 18, '0'), lpad(g::text, 18, '0'),
                   '', 'valid', now() FROM generate_series(1, %s) g""", [ENTRIES])  # fmt: skip
        run(f"""INSERT INTO listings_listentry (list_id, subject_id, state, exit_reason, facts,
                    basis, decision_document_number, proposed_on, publicity_ends_provisional,
                    effective_on, valid_until, verification_due_provisional, channel, version,
                    created_at)
                SELECT (ARRAY{lists})[1 + g %% {len(lists)}], g, 'effective', '', '事实', '依据',
                    '', date '2026-01-01', false, date '2026-01-01' + (g %% 365),
                    date '2029-01-01', false, 'credit-portal', 1, now()
                FROM generate_series(1, %s) g""", [ENTRIES])  # fmt: skip
        run(f"""INSERT INTO measures_check (id, created_at, as_of, user_id, department_id,
                    scenario_id, subject_id, query_identifier, query_name, result, response)
                SELECT md5(g::text)::uuid, timestamptz '2026-01-01' + (g %% 365) * interval '1 day',
                    date '2026-01-01' + (g %% 365), %s, (ARRAY{ids["departments"]})[1 + g %% 20],
                    %s, 1 + g %% {ENTRIES}, '', '', 'punish', '{{}}'
                FROM generate_series(1, %s) g""",
            [ids["user"], ids["scenario"], reports])  # fmt: skip
        run("""INSERT INTO measures_checkfeedback (check_record_id, created_at, reported_by,
                   business_reference, business_key, outcome, measures)
               SELECT md5(g::text)::uuid, now(), 'system:d0', 'B-' || g, md5('B-' || g), '', '[]'
               FROM generate_series(1, %s) g""", [reports])  # fmt: skip
        # Each outcome keeps the measure as its check answered it (code, name, type, basis):
        # copied from the measure, a quarter of them rewards, the rest punishments.
        run(f"""INSERT INTO measures_measureoutcome (feedback_id, measure_id, measure_code,
                    measure_name, measure_type, measure_legal_basis, department_id,
                    reported_on, applied, reason, mandatory, suspended, binding)
                SELECT f.id, m.id, m.code, m.name, m.type, m.legal_basis, c.department_id,
                    c.as_of, (f.id + k) % 5 <> 0, '', k = 0, false, k = 0
                FROM measures_checkfeedback f JOIN measures_check c ON c.id = f.check_record_id
                CROSS JOIN generate_series(0, 1) k
                JOIN measures_measure m
                    ON m.id = (ARRAY{ids["measures"]})[1 + (f.id * 7 + k) % 30]""")  # fmt: skip
        run("""INSERT INTO measures_measureoutcome_entries (measureoutcome_id, listentry_id)
               SELECT o.id, c.subject_id FROM measures_measureoutcome o
               JOIN measures_checkfeedback f ON f.id = o.feedback_id
               JOIN measures_check c ON c.id = f.check_record_id""")  # fmt: skip
        run("ANALYZE")


def timed(label: str, work, repeat: int = 3) -> float:
    best = min(_once(work) for _ in range(repeat))
    print(f"  {label:<44}{best * 1000:9.0f} ms")
    return best


def _once(work) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--outcomes", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args()
    name = "xinyong_bench_joint"
    url = create_database(args.url, name)
    try:
        setup_django(url)
        ids = reference_data()
        started = time.perf_counter()
        bulk_rows(url, ids, args.outcomes)
        print(f"seeded {args.outcomes:,} outcomes in {time.perf_counter() - started:.1f} s")
        measure(url, ids)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            drop_database(args.url, name)


def measure(url: str, ids: dict) -> None:
    from xinyong.measures import statistics
    from xinyong.subjects.models import Department

    year = statistics.Period(dt.date(2026, 1, 1), DAY)
    department = Department.objects.get(pk=ids["departments"][3])
    with psycopg.connect(url) as connection:

        def bare():
            connection.execute(
                "SELECT department_id, count(*) FROM measures_measureoutcome"
                " WHERE reported_on BETWEEN %s AND %s GROUP BY department_id",
                [year.since, year.until],
            ).fetchall()

        print("baseline:")
        baseline = timed("bare GROUP BY over the year's outcomes", bare)
    print("the platform, the whole year:")
    worst = 0.0
    for grouping in statistics.GROUPINGS:
        figures = lambda g=grouping: statistics.by_group(None, year, g)  # noqa: E731
        worst = max(worst, timed(f"by {grouping}", figures))
    worst = max(worst, timed("case share", lambda: statistics.case_share(None, year)))
    print(f"one department ({department.code}), the whole year:")
    for grouping in ("implementing_department", "domain"):
        figures = lambda g=grouping: statistics.by_group(department, year, g)  # noqa: E731
        worst = max(worst, timed(f"by {grouping}", figures))
    worst = max(worst, timed("case share", lambda: statistics.case_share(department, year)))
    print(f"slowest figure: {worst * 1000:.0f} ms = {worst / baseline:.1f}× the bare GROUP BY")


if __name__ == "__main__":
    main()
