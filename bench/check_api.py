"""Benchmark: the check API against a trivial django-ninja endpoint, on PostgreSQL, same server.

Targets (the checks issue): with 1,000,000 subjects and 100,000 effective entries, the check
API's throughput is at least 60% of ``GET /api/v1/health`` served by the same gunicorn with the
same workers and settings, and its p99 latency at most 3× the health endpoint's. Also printed:
what share of China's national average check rate (about 200 checks per second) one such
server carries. Both endpoints are loaded with wrk, on the loopback interface only, for a
bounded time: after a warm-up, each gets ``--duration`` seconds cut into ``--slices`` runs that
alternate with the other's, and every ratio is the median of the ratios of neighbouring runs,
so that a noisy neighbour on a shared machine hurts both alike.

    .venv/bin/python bench/check_api.py [--url postgres://postgres@127.0.0.1:5432/postgres]
        [--subjects 1000000] [--entries 100000] [--measures 40] [--duration 30] [--slices 6]
        [--warmup 5]
        [--workers N] [--connections N] [--keep]

Needs ``wrk`` (Debian: ``apt-get install -y wrk``). The scratch database is dropped and the
server stopped at the end, whatever happens (unless ``--keep``, which keeps the database).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scratch_db import create_database, drop_database, setup_django  # a sibling script

# The seeding here and the server it starts must hash and seal identifiers under one key.
os.environ.setdefault("XINYONG_DATA_KEY", "bench-only-data-key-" + "0" * 32)

HOST = "127.0.0.1"  # loopback only: this benchmark never loads any other address
NATIONAL_CHECK_RATE = 200  # checks per second, China's national average (the checks issue)
SCENARIOS = [
    ("government_procurement", "政府采购"), ("fiscal_funds", "财政资金"),
    ("administrative_approval", "行政审批"), ("honours", "评优评先"), ("financing", "融资授信"),
    ("public_resource_trading", "公共资源交易"), ("high_consumption", "高消费"),
]  # fmt: skip
ORGANISATIONS, PERSONS, UNKNOWN = 7_000, 3_000, 1_000  # the query set (valid codes)
MALFORMED = ["123", "91330106MA000000O0", "110105194912310021", "9133010600000000", "ABC"]


def uscc(n: int) -> str:
    from xinyong.core.identifiers import organization_code_check_character, uscc_check_character

    org8 = f"{n % 10**8:08d}"
    first17 = f"91330106{org8}{organization_code_check_character(org8)}"
    return first17 + uscc_check_character(first17)


def citizen_id(n: int) -> str:
    import datetime as dt

    from xinyong.core.identifiers import citizen_id_check_character

    born = dt.date(1960, 1, 1) + dt.timedelta(days=n % 20_000)
    first17 = f"330106{born:%Y%m%d}{n % 1000:03d}"
    return first17 + citizen_id_check_character(first17)


def reference_data(measures: int) -> dict:
    """Domains, lists, scenarios, a measures list and an implementing department's token."""
    from xinyong.api import tokens
    from xinyong.listings.models import ListDefinition
    from xinyong.measures.models import Measure, Scenario
    from xinyong.subjects.models import Department, Domain, Region

    region = Region.objects.create(code="330106", name="西湖区", level="county")
    recognizing = Department.objects.create(
        code="scjg", name="市场监管局", level="city", region=region, is_recognizing=True
    )
    finance = Department.objects.create(
        code="czj", name="财政局", level="city", region=region, is_implementing=True
    )
    domains = [
        Domain.objects.create(code=f"d{i}", name=f"领域{i}", dishonesty_category=2)
        for i in range(3)
    ]

    def make(code, kind, domain, **extra):
        return ListDefinition.objects.create(
            code=code, name=f"{code}名单", kind=kind, domain=domain, criteria="标准",
            recognizing_department=recognizing, legal_basis="依据", **extra,
        ).pk  # fmt: skip

    lists = {
        "black": make("black", "black", domains[0]),
        "court": make("court", "black", domains[1], objection_suspends_measures=False),
        "red": make("red", "red", domains[0]),
        "red2": make("red2", "red", domains[2]),
    }
    scenarios = [Scenario.objects.create(code=c, name=n) for c, n in SCENARIOS]
    rng = random.Random(4)
    kinds_targets = [
        ("punishment", ["black"], ["organisation"]),
        ("punishment", ["black"], ["legal_representative", "principal", "person"]),
        ("punishment", ["black"], ["person"]),
        ("reward", ["red"], ["organisation"]),
        ("reward", ["red"], ["person"]),
    ]
    for i in range(measures):  # a few per scenario and target
        kind, list_kinds, targets = kinds_targets[i % len(kinds_targets)]
        measure = Measure.objects.create(
            code=f"m{i:02d}", sequence=i, name=f"措施{i}", content="内容", type=kind,
            mandatory=i % 3 == 0, legal_basis=f"依据第{i}条", list_kinds=list_kinds,
            targets=targets,
        )  # fmt: skip
        measure.scenarios.add(*rng.sample(scenarios, 3))
        if i % 4 == 0:
            measure.domains.add(domains[i % 3])
    user = tokens.system_account(finance)
    token, _ = tokens.create_token(
        actor="bench",
        user=user,
        scenarios=[code for code, _ in SCENARIOS],
        rate_per_minute=100_000_000,  # the load is the measurement, not an abuse to refuse
    )
    return {"lists": lists, "token": token}


def bulk_rows(url: str, lists: dict, subjects: int, entries: int) -> None:
    """The query set with valid codes by COPY, everything else by generate_series.

    Subjects 1..7000 are organisations and 7001..10000 persons, all with valid codes; the rest
    carry placeholder identifiers (a leading Z is outside both alphabets, so never asked).
    Query-set organisations: black (one in ten under objection), black and red, red, court
    black, exited entries; query-set persons: black directly, or named in an organisation's
    black entry as legal representative or principal. The remaining entries go to bulk subjects.
    """
    from xinyong.subjects.protection import identifier_digest, stored_identifier

    query_set = ORGANISATIONS + PERSONS
    with psycopg.connect(url) as connection:
        run = connection.execute
        with connection.cursor().copy(
            "COPY subjects_subject (id, kind, name, identifier, identifier_digest,"
            " identifier_sealed, identifier_status, created_at) FROM STDIN"
        ) as copy:
            for n in range(1, query_set + 1):
                person = n > ORGANISATIONS
                stored = stored_identifier(citizen_id(n) if person else uscc(n), personal=person)
                copy.write_row((
                    n, "natural_person" if person else "legal_person",
                    f"张{n}" if person else f"查询企业{n}有限公司", stored.shown, stored.digest,
                    stored.sealed, "valid", "now",
                ))  # fmt: skip
        # Each placeholder hashed under the key, as a stored code is: the server proves its
        # key against the newest subject before it serves (``subjects.protection``).
        with connection.cursor().copy(
            "COPY subjects_subject (id, kind, name, identifier, identifier_digest,"
            " identifier_sealed, identifier_status, created_at) FROM STDIN"
        ) as copy:
            for n in range(query_set + 1, subjects + 1):
                person, placeholder = n % 10 < 3, f"Z{n:017d}"
                copy.write_row((
                    n, "natural_person" if person else "legal_person",
                    f"李{n}" if person else f"企业{n}有限公司", placeholder,
                    identifier_digest(placeholder), "", "valid", "now",
                ))  # fmt: skip
        run("SELECT setval(pg_get_serial_sequence('subjects_subject', 'id'), %s)", [subjects])
        insert = """INSERT INTO listings_listentry (list_id, subject_id, state, exit_reason,
                        facts, basis, decision_document_number, proposed_on, publicity_starts_on,
                        publicity_ends_on, publicity_ends_provisional, effective_on, valid_until,
                        exited_on, verification_due_on, channel, version, created_at)
                    SELECT %(list)s, g, %(state)s, %(reason)s, '事实', '依据', '',
                        date '2026-01-05', date '2026-01-06', date '2026-02-03', false,
                        date '2026-02-10',
                        date '2029-02-09', %(exited)s::date,
                        CASE WHEN %(objected)s AND g %% 10 = 0 THEN date '2026-12-01' END,
                        'credit-portal', 1, now()
                    FROM generate_series(%(first)s::int, %(last)s::int) g"""

        def entries_for(list_key, first, last, *, objected=False, exited=False):
            run(insert, {"list": lists[list_key], "first": first, "last": last,
                         "state": "exited" if exited else "effective",
                         "reason": "expired" if exited else "", "objected": objected,
                         "exited": "2026-06-01" if exited else None})  # fmt: skip
            return 0 if exited else last - first + 1

        made = entries_for("black", 1, 2800, objected=True)
        made += entries_for("red", 1401, 2100)
        made += entries_for("red2", 2801, 3500)
        made += entries_for("court", 3501, 4200, objected=True)
        entries_for("black", 4201, 5200, exited=True)
        made += entries_for("black", 7001, 7600)  # persons on a black list themselves
        bulk_first = query_set + 1
        bulk_last = bulk_first + entries - made - 1
        half = (bulk_first + bulk_last) // 2
        made += entries_for("black", bulk_first, half, objected=True)
        made += entries_for("red", half + 1, bulk_last)
        entries_for("court", bulk_first, bulk_first + 19_999, exited=True)
        # Query-set persons 7601..8800 named in the black entries of organisations 1..1200.
        run("""INSERT INTO listings_listentryperson (entry_id, person_id, role)
               SELECT e.id, 7600 + e.subject_id,
                   CASE WHEN e.subject_id %% 3 = 0 THEN 'principal' ELSE 'legal_representative' END
               FROM listings_listentry e
               WHERE e.list_id = %s AND e.state = 'effective' AND e.subject_id <= 1200""",
            [lists["black"]])  # fmt: skip
        # Bulk organisations' black entries naming bulk persons (g % 10 < 3 are persons).
        run("""INSERT INTO listings_listentryperson (entry_id, person_id, role)
               SELECT e.id, e.subject_id - (e.subject_id %% 10), 'legal_representative'
               FROM listings_listentry e
               WHERE e.list_id = %s AND e.state = 'effective' AND e.subject_id > %s
                   AND e.subject_id %% 10 >= 3 AND e.subject_id %% 10 < 6""",
            [lists["black"], query_set + 10])  # fmt: skip
        connection.commit()
        connection.autocommit = True
        run("VACUUM ANALYZE")
        effective = run("SELECT count(*) FROM listings_listentry WHERE state = 'effective'")
        print(f"  {effective.fetchone()[0]:,} effective entries", flush=True)


def request_bodies(path: Path, seed: int = 7) -> None:
    """10,000 bodies: known organisations and persons, unknown codes, a few malformed."""
    rng = random.Random(seed)
    codes = [uscc(n) for n in range(1, ORGANISATIONS + 1)]
    codes += [citizen_id(n) for n in range(ORGANISATIONS + 1, ORGANISATIONS + PERSONS + 1)]
    codes += [uscc(50_000_000 + n) for n in range(UNKNOWN)]
    codes += [rng.choice(MALFORMED) for _ in range(100)]  # about 1% of the requests
    rng.shuffle(codes)
    with path.open("w") as out:
        for code in codes:
            scenario = rng.choice(SCENARIOS)[0]
            out.write(json.dumps({"subject": code, "scenario": scenario}) + "\n")


LUA = """
local path, token, get = [[%(bodies)s]], [[%(token)s]], %(get)s
local bodies, n, i, start = {}, 0, 0, 0
if not get then
  for line in io.lines(path) do n = n + 1; bodies[n] = line end
end
local threads = 0
function setup(thread) threads = threads + 1; thread:set("id", threads) end
-- each run goes on where the last one stopped; each thread a stretch further
function init(args) start = tonumber(args[1] or "0") + ((id or 1) - 1) * 3331 end
function request()
  i = i + 1
  if get then return wrk.format("GET", "/api/v1/health") end
  return wrk.format("POST", "/api/v1/checks", {["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. token}, bodies[(start + i) %% n + 1])
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("XYRESULT %%d %%d %%d %%d %%d %%d\\n", summary.requests,
    summary.duration, latency:percentile(50), latency:percentile(99), e.status,
    e.connect + e.read + e.write + e.timeout))
end
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def start_server(url: str, port: int, workers: int, log: Path) -> subprocess.Popen:
    """``xinyong serve`` as a deployment runs it: its static files collected in its own data
    directory first, as the server refuses to start without them."""
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench-only-" + os.urandom(8).hex(),
           "XINYONG_DEBUG": "0", "XINYONG_LOG_LEVEL": "WARNING",
           "XINYONG_VAR_DIR": str(log.parent)}  # fmt: skip
    xinyong = str(Path(sys.executable).with_name("xinyong"))
    subprocess.run([xinyong, "collectstatic", "--no-input", "-v0"], env=env, check=True)
    command = [xinyong, "serve", "--host", HOST, "--port", str(port), "--workers", str(workers)]
    server = subprocess.Popen(
        command, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited: see {log}\n{log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/api/v1/health", timeout=2):
                return server
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("the server did not answer within 60 s")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)  # the arbiter and its workers: its own group
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)


def sanity(port: int, token: str, bodies: Path) -> Counter:
    """A sample through urllib: 200 for valid codes, 422 for malformed ones; results counted."""
    seen: Counter = Counter()
    for line in bodies.read_text().splitlines()[:400]:
        request = urllib.request.Request(
            f"http://{HOST}:{port}/api/v1/checks", data=line.encode(), method="POST",
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )  # fmt: skip
        malformed = json.loads(line)["subject"] in MALFORMED
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                body = json.loads(answer.read())
                assert not malformed, line
                known = body["subject"]["known"]
                seen[f"{body['result']}/{'known' if known else 'unknown'}"] += 1
        except urllib.error.HTTPError as refused:
            assert malformed and refused.code == 422, (line, refused.code, refused.read())
            seen["422"] += 1
    return seen


_sent = [0]  # check bodies used so far: the next run starts after them


def wrk(port: int, script: Path, seconds: int, connections: int, threads: int) -> dict:
    command = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s",
               "--timeout", "10s", "-s", str(script), f"http://{HOST}:{port}",
               "--", str(_sent[0])]  # fmt: skip
    out = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60).stdout
    match = re.search(r"XYRESULT (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)", out)
    if match is None:
        raise RuntimeError(f"wrk gave no result:\n{out}")
    requests, duration, p50, p99, non2xx, errors = map(int, match.groups())
    _sent[0] += requests
    return {"rps": requests / (duration / 1e6), "p50": p50 / 1000, "p99": p99 / 1000,
            "requests": requests, "non2xx": non2xx, "errors": errors}  # fmt: skip


def show(label: str, r: dict) -> None:
    print(f"  {label:<7} {r['rps']:8.0f} req/s  p50 {r['p50']:6.2f} ms  p99 {r['p99']:6.2f} ms"
          f"  ({r['requests']:,} requests, {r['non2xx']} non-2xx, {r['errors']} socket errors)",
          flush=True)  # fmt: skip


def measure(port: int, scripts: dict, args, connections: int) -> dict[str, list[dict]]:
    """Alternating slices, the order swapped every pair so neither always goes first."""
    seconds = max(1, args.duration // args.slices)
    runs: dict[str, list[dict]] = {"health": [], "check": []}
    for n in range(args.slices):
        for label in ("health", "check") if n % 2 == 0 else ("check", "health"):
            runs[label].append(wrk(port, scripts[label], seconds, connections, args.threads))
            show(label, runs[label][-1])
    return runs


def summarise(runs: dict[str, list[dict]]) -> tuple[dict, float, float]:
    """Pooled figures per endpoint and the medians of the slice-by-slice ratios."""
    pooled = {}
    for label, rs in runs.items():
        seconds = sum(r["requests"] / r["rps"] for r in rs)
        pooled[label] = {
            "rps": sum(r["requests"] for r in rs) / seconds,
            "p50": statistics.median(r["p50"] for r in rs),
            "p99": statistics.median(r["p99"] for r in rs),
            **{key: sum(r[key] for r in rs) for key in ("requests", "non2xx", "errors")},
        }
    pairs = list(zip(runs["health"], runs["check"], strict=True))
    throughput = statistics.median(c["rps"] / h["rps"] for h, c in pairs)
    tail = statistics.median(c["p99"] / h["p99"] for h, c in pairs)
    return pooled, throughput, tail


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--subjects", type=int, default=1_000_000)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=30, help="measured seconds per endpoint")
    parser.add_argument("--slices", type=int, default=6, help="alternating runs per endpoint")
    parser.add_argument("--warmup", type=int, default=5, help="seconds of warm-up per endpoint")
    parser.add_argument("--measures", type=int, default=40,
                        help="measures in the list: a city keeps some 40; a province's own list "
                        "beside the national one, several hundred")  # fmt: skip
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--connections", type=int, default=0, help="default: 2 × workers")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install -y wrk")
    connections = args.connections or 2 * args.workers
    name = f"xinyong_bench_checks_{os.getpid()}"
    url = create_database(args.url, name)
    work = Path(tempfile.mkdtemp(prefix="xinyong-bench-checks-"))
    server = None
    try:
        setup_django(url)
        started = time.perf_counter()
        ref = reference_data(args.measures)
        bulk_rows(url, ref["lists"], args.subjects, args.entries)
        print(
            f"seeded {args.subjects:,} subjects and a list of {args.measures} measures in "
            f"{time.perf_counter() - started:.1f} s"
        )
        from django.db import connections as django_connections

        django_connections.close_all()
        bodies = work / "bodies.jsonl"
        request_bodies(bodies)
        scripts = {}
        for label, get in (("health", "true"), ("check", "false")):
            scripts[label] = work / f"{label}.lua"
            scripts[label].write_text(LUA % {"bodies": bodies, "token": ref["token"], "get": get})
        port = free_port()
        server = start_server(url, port, args.workers, work / "server.log")
        print(f"gunicorn: {args.workers} sync workers on {HOST}:{port}; wrk: {args.threads} "
              f"thread(s), {connections} connections, {args.duration} s per endpoint in "
              f"{args.slices} slices")  # fmt: skip
        sample = sanity(port, ref["token"], bodies)
        print(f"sample of {sum(sample.values())} checks: {dict(sorted(sample.items()))}")
        answered = sum(n for key, n in sample.items() if key != "422")  # checks answered 200
        for label, script in scripts.items():  # warm every worker: imports, connections, caches
            warm = wrk(port, script, args.warmup, connections, args.threads)
            answered += (warm["requests"] - warm["non2xx"]) if label == "check" else 0
        runs = measure(port, scripts, args, connections)
        answered += sum(r["requests"] - r["non2xx"] for r in runs["check"])
        pooled, throughput, tail = summarise(runs)
        print(f"over {args.slices} slices each (requests/s pooled, latency the slices' median):")
        show("health", pooled["health"])
        show("check", pooled["check"])
        print(f"check / health throughput: {throughput:.0%} (median of the slice pairs; "
              f"target ≥ 60%: {'yes' if throughput >= 0.6 else 'NO'})")  # fmt: skip
        print(f"check p99 / health p99: {tail:.2f}× (median of the slice pairs; target ≤ 3×: "
              f"{'yes' if tail <= 3 else 'NO'})")  # fmt: skip
        check = pooled["check"]
        print(f"one server carries {check['rps'] / NATIONAL_CHECK_RATE:.1f}× China's national "
              f"average check rate ({NATIONAL_CHECK_RATE}/s)")  # fmt: skip
        with psycopg.connect(url) as connection:
            registered = connection.execute("SELECT count(*) FROM measures_check").fetchone()[0]
        # wrk counts only answers it read before its time ran out, so rows may be a few more.
        print(f"checks answered 200: {answered:,}; rows registered (R14): {registered:,}")
    finally:
        if server is not None:
            stop_server(server)
        shutil.rmtree(work, ignore_errors=True)
        if not args.keep:
            from django.db import connections as django_connections

            django_connections.close_all()
            drop_database(args.url, name)


if __name__ == "__main__":
    main()
