"""Benchmark: ``xinyong tick`` over 1,000,000 entries and 10,000,000 credit records on PostgreSQL.

Targets (the listing issue): the whole job in at most 2 minutes on this machine, and within 2×
of the same statements run bare in the same run. The job runs once inside a transaction with
every statement it sends captured, then rolled back; the captured statements are then replayed
through a plain psycopg connection on the same data and rolled back too. The ratio of the two
is the figure that matters on a shared, noisy machine.

    .venv/bin/python bench/tick.py [--url postgres://postgres@127.0.0.1:5432/postgres]
                                   [--entries 1000000] [--records 10000000] [--keep]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import time

import psycopg
from scratch_db import create_database, drop_database, setup_django

DAY = dt.date(2026, 11, 23)


def reference_data() -> dict[str, int]:
    """The lists the job works on, made through the ORM like an officer would."""
    from xinyong.catalog.models import CatalogItem
    from xinyong.listings.models import ListDefinition
    from xinyong.subjects.models import Department, Domain, Region

    region = Region.objects.create(code="330106", name="西湖区", level="county")
    office = Department.objects.create(
        code="xyb", name="信用办", level="city", region=region, is_credit_office=True
    )
    dept = Department.objects.create(code="scjg", name="市场监管局", level="city", region=region)
    domains = [
        Domain.objects.create(
            code=f"d{i}", name=f"领域{i}", dishonesty_category=2, is_key_domain=True
        )
        for i in range(4)
    ]

    def make(code, kind, domain, department=dept, **extra):
        return ListDefinition.objects.create(
            code=code, name=code, kind=kind, domain=domain, recognizing_department=department,
            criteria="标准", legal_basis="依据", **extra,
        ).pk  # fmt: skip

    ids = {
        "black": make("black", "black", domains[0], validity_value=3, monitoring_months=12),
        "red": make("red", "red", domains[1], validity_value=3),
        "warning": make("warning", "big_data_warning", domains[0], office, validity_value=None),
        "monitoring": make("monitoring", "key_monitoring", domains[0], office, validity_value=None),
    }
    for i, domain in enumerate(domains[:3]):
        ids[f"attention{i}"] = make(f"attention{i}", "key_attention", domain, validity_value=1)
    ids["item"] = CatalogItem.objects.create(
        code="penalty", name="行政处罚", info_kind="administrative", legal_basis="行政处罚法",
        provider=dept, subject_kinds=["legal_person"], share_scope="unconditional",
        disclosure="public",
    ).pk  # fmt: skip
    ids["dept"] = dept.pk
    return ids


def bulk_rows(url: str, ids: dict[str, int], entries: int, records: int) -> None:
    """Subjects, entries in every state the job touches, and records, by generate_series."""
    warned = entries // 100  # subjects on key-attention lists in three key domains
    with psycopg.connect(url) as connection:
        run = connection.execute
        # Placeholder codes, never looked up: each is its own look-up digest too (unique).
        run("""INSERT INTO subjects_subject (kind, name, identifier, identifier_digest,
                   identifier_sealed, identifier_status, created_at)
               SELECT 'legal_person', '企业' || g, lpad(g::text, 18, '0'), lpad(g::text, 18, '0'),
                   '', 'valid', now()
               FROM generate_series(1, %s) g""", [entries + warned])  # fmt: skip
        # g % 20 picks the state: 2/20 publicity over, 2/20 publicity running, 2/20 expired
        # (half of them black), 1/20 under verification, 4/20 ended, the rest in force.
        run(
            """INSERT INTO listings_listentry (list_id, subject_id, state, exit_reason, facts,
                   basis, decision_document_number, proposed_on, publicity_starts_on,
                   publicity_ends_on, publicity_ends_provisional, effective_on, valid_until,
                   exited_on, verification_due_on, channel, version, created_at)
               SELECT CASE WHEN g %% 20 IN (4, 6, 8) THEN %(black)s ELSE %(red)s END, g,
                   CASE WHEN g %% 20 < 4 THEN 'in_publicity' WHEN g %% 20 = 15 THEN
                   'under_verification' WHEN g %% 20 >= 16 THEN 'exited' ELSE 'effective' END,
                   CASE WHEN g %% 20 >= 16 THEN 'expired' ELSE '' END, '事实', '依据', '', d - 60,
                   d - 40, CASE WHEN g %% 20 < 2 THEN d - 3 - (g %% 30) ELSE d + 10 END, false,
                   CASE WHEN g %% 20 BETWEEN 4 AND 14 THEN d - 400 END,
                   CASE WHEN g %% 20 IN (4, 5) THEN d - 1 - (g %% 20)
                        WHEN g %% 20 BETWEEN 6 AND 14 THEN d + 300 + (g %% 500) END,
                   CASE WHEN g %% 20 >= 16 THEN d - 10 END,
                   CASE WHEN g %% 20 = 15 THEN d + (g %% 10) - 5 END,
                   'credit-portal', 1, now()
               FROM generate_series(1, %(n)s) g, (SELECT %(day)s::date AS d) day""",
            {"black": ids["black"], "red": ids["red"], "n": entries, "day": DAY},
        )
        for i in range(3):
            run("""INSERT INTO listings_listentry (list_id, subject_id, state, exit_reason, facts,
                       basis, decision_document_number, proposed_on, publicity_ends_provisional,
                       effective_on, valid_until, channel, version, created_at)
                   SELECT %s, %s + g, 'effective', '', '事实', '依据', '', %s, false, %s, %s,
                       'credit-portal', 1, now() FROM generate_series(1, %s) g""",
                [ids[f"attention{i}"], entries, DAY - dt.timedelta(days=100),
                 DAY - dt.timedelta(days=90), DAY + dt.timedelta(days=200), warned])  # fmt: skip
        # Publication windows as earlier days' jobs left them: one record in 365 reaches the
        # end of its publication on the bench's day, and its sharing goes on for two years.
        run("""INSERT INTO catalog_creditrecord (catalog_item_id, subject_id, department_id,
                   document_number, decision_date, issuing_body, title, content, is_serious,
                   tier, published_on, publication_ends_on, sharing_ends_on, created_at)
               SELECT %s, 1 + (g %% %s), %s, '处〔' || g || '〕号', date '2018-01-01' + (g %% 3200),
                   '市场监管局', '', '{}', g %% 97 = 0, 'general',
                   date '2018-01-04' + (g %% 3200), %s::date + (g %% 365) - 1,
                   %s::date + (g %% 365) + 729, now()
               FROM generate_series(1, %s) g""",
            [ids["item"], entries + warned, ids["dept"], DAY, DAY, records])  # fmt: skip
        connection.commit()
        connection.autocommit = True
        connection.execute("VACUUM ANALYZE")


def run_job(day: dt.date) -> tuple[float, list[tuple[str, object]], object]:
    """The job through the application, inside a transaction that is rolled back."""
    from django.db import connection, transaction

    from xinyong.core import clock
    from xinyong.listings.tick import run_tick

    statements: list[tuple[str, object]] = []

    def capture(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture), clock.frozen(day):
        started = time.perf_counter()
        with transaction.atomic():
            report = run_tick(day)
            elapsed = time.perf_counter() - started
            transaction.set_rollback(True)
    return elapsed, statements, report


def replay(url: str, statements: list[tuple[str, object]]) -> float:
    """The same statements, bare, on a plain connection, rolled back."""
    with psycopg.connect(url) as connection, connection.cursor() as cursor:
        started = time.perf_counter()
        for sql, params in statements:
            if sql.lstrip().upper().startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO")):
                continue
            if isinstance(params, list) and params and isinstance(params[0], tuple | list):
                cursor.executemany(sql, params)
            else:
                cursor.execute(sql, params)
                if cursor.description is not None:
                    cursor.fetchall()
        elapsed = time.perf_counter() - started
        connection.rollback()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--records", type=int, default=10_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args()
    name = f"xinyong_bench_tick_{os.getpid()}"
    url = create_database(args.url, name)
    try:
        setup_django(url)
        started = time.perf_counter()
        bulk_rows(url, reference_data(), args.entries, args.records)
        print(f"seeded {args.entries:,} entries and {args.records:,} records "
              f"in {time.perf_counter() - started:.1f} s")  # fmt: skip
        job, statements, report = run_job(DAY)
        bare = replay(url, statements)
        print(f"tick: {job:.2f} s for {report.changed:,} changes ({len(statements)} statements)")
        print("  " + ", ".join(report.lines()))
        print(f"same statements bare: {bare:.2f} s")
        print(f"ratio tick / bare: {job / bare:.2f} (target ≤ 2.0)")
        print(f"within 2 minutes: {'yes' if job <= 120 else 'NO'} ({job:.1f} s)")
    finally:
        if not args.keep:
            from django.db import connections

            connections.close_all()
            drop_database(args.url, name)


if __name__ == "__main__":
    main()
