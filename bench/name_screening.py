"""Benchmark: name screening against 1,000,000 organisation names, in memory.

Targets (issue: credit checks): at least 1,000 names/s with at most 50 candidates scored per name,
an interactive name check p95 ≤ 50 ms, and precision and recall on the labelled variant set
(tests/data/name_variants.csv). Baselines measured in the same run: normalising a name and looking
its key up in a dict (the floor any name check pays), and rapidfuzz's ``extractOne`` over all
million names (what a search without blocking would cost). Figures are printed, never asserted.

    .venv/bin/python bench/name_screening.py [--names 1000000] [--batch 20000] [--seed 7]
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import opencc
from rapidfuzz import fuzz, process

sys.path.insert(0, str(Path(__file__).resolve().parent))
from name_variants import generate_names

from xinyong.core.names import normalize_name
from xinyong.subjects.name_index import SAME_SUBJECT_THRESHOLD, NameIndex

LABELLED = Path(__file__).resolve().parents[1] / "tests" / "data" / "name_variants.csv"
S2T = opencc.OpenCC("s2t")


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def background(count: int, seed: int, avoid: set[str], sample: list[str]) -> Iterator[str]:
    """Names for the index, none equal after normalisation to a labelled query or answer."""
    for position, name in enumerate(generate_names(count, seed)):
        if normalize_name(name).key in avoid:
            continue
        if position % 40 == 0:
            sample.append(name)
        yield name


def variant(name: str, rng: random.Random) -> str:
    """A spelling a department might send for a name in the index."""
    draw = rng.random()
    if draw < 0.3:
        return S2T.convert(name)
    if draw < 0.55:
        at = rng.randrange(1, len(name))
        return f" {name[:at]}\u3000{name[at:]} "
    if draw < 0.8 and "有限公司" in name and "有限责任公司" not in name:
        return name.replace("有限公司", "有限责任公司")
    return name.replace("（", "(").replace("）", ")") + "。"


def batch_queries(sample: list[str], size: int, seed: int) -> list[str]:
    """40% names as registered, 35% variant spellings, 25% names not in the index."""
    rng = random.Random(seed)
    unseen = generate_names(size, seed + 1_000)
    queries = []
    for _ in range(size):
        draw = rng.random()
        if draw < 0.4:
            queries.append(rng.choice(sample))
        elif draw < 0.75:
            queries.append(variant(rng.choice(sample), rng))
        else:
            queries.append(next(unseen))
    return queries


def timed(label: str, queries: list[str], run) -> float:
    start = time.perf_counter()
    for query in queries:
        run(query)
    elapsed = time.perf_counter() - start
    rate = len(queries) / elapsed
    print(f"  {label:<44} {rate:>12,.0f} names/s")
    return rate


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def evaluate(index: NameIndex, rows: list[dict[str, str]], threshold: float) -> tuple:
    """Precision and recall: predicted same when the top candidate is the expected name."""
    tp = fp = fn = tn = 0
    for row in rows:
        found = index.search(row["query"], limit=1)
        same = bool(found) and found[0].score >= threshold
        same = same and found[0].name == row["expected_name"]
        if row["label"] == "same":
            tp, fn = (tp + 1, fn) if same else (tp, fn + 1)
        else:
            fp, tn = (fp + 1, tn) if same else (fp, tn + 1)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, tp, fp, fn, tn


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--names", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=20_000)
    parser.add_argument("--interactive", type=int, default=2_000)
    parser.add_argument("--brute-force", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    with LABELLED.open(encoding="utf-8") as handle:
        labelled = list(csv.DictReader(handle))
    expected = list(dict.fromkeys(row["expected_name"] for row in labelled))
    avoid = {normalize_name(row["query"]).key for row in labelled}
    avoid |= {normalize_name(name).key for name in expected}

    normalize_name("warm up")  # loads OpenCC's dictionaries outside the timings
    sample: list[str] = []
    start = time.perf_counter()
    names = [*background(args.names - len(expected), args.seed, avoid, sample), *expected]
    generate_s = time.perf_counter() - start
    before = rss_mib()
    start = time.perf_counter()
    index = NameIndex.build(enumerate(names, start=1))
    build_s = time.perf_counter() - start
    after = rss_mib()
    print(f"Index of {len(index):,} names (generated in {generate_s:.1f} s, not counted below)")
    print(
        f"  build (normalise + index)                   {build_s:>12.1f} s "
        f"({len(index) / build_s:,.0f} names/s)"
    )
    print(
        f"  RSS                                         {after:>12,.0f} MiB "
        f"(+{after - before:,.0f} MiB for the index over the names' own strings)"
    )
    del names

    queries = batch_queries(sample, args.batch, args.seed)
    keys = {normalize_name(name).key for name in sample}
    print(f"\nBatch of {len(queries):,} names (40% registered, 35% variants, 25% unknown)")
    floor = timed("baseline: normalise + dict lookup of the key", queries,
                  lambda q: normalize_name(q).key in keys)  # fmt: skip
    scored: list[int] = []

    def screen(query: str) -> None:
        index.search(query, limit=3)
        scored.append(index.last_scored)

    rate = timed("index.search(limit=3, max_scored=50)", queries, screen)
    print(f"  ratio search / baseline                     {rate / floor:>12.2f}")
    print(f"  candidates scored per name: mean {statistics.mean(scored):.1f}, max {max(scored)}")

    rng = random.Random(args.seed + 1)
    interactive = [rng.choice(queries) for _ in range(args.interactive)]
    latencies = []
    for query in interactive:
        start = time.perf_counter()
        index.search(query, limit=10)
        latencies.append((time.perf_counter() - start) * 1000)
    brute = []
    choices = index._names  # the same million strings, without blocking
    for query in interactive[: args.brute_force]:
        start = time.perf_counter()
        process.extractOne(query, choices, scorer=fuzz.ratio)
        brute.append((time.perf_counter() - start) * 1000)
    p50, p95, p99 = (percentile(latencies, q) for q in (0.5, 0.95, 0.99))
    print(f"\nInteractive name check (limit=10), {len(latencies):,} single searches")
    print(f"  p50 {p50:.2f} ms   p95 {p95:.2f} ms   p99 {p99:.2f} ms   max {max(latencies):.2f} ms")
    print(f"  baseline: extractOne over all {len(choices):,} names, {len(brute)} searches: "
          f"p50 {statistics.median(brute):.0f} ms → blocking is "
          f"{statistics.median(brute) / p50:,.0f}× faster at the median")  # fmt: skip

    same = sum(row["label"] == "same" for row in labelled)
    print(f"\nLabelled set: {len(labelled)} rows ({same} same), top candidate ≥ threshold")
    for threshold in (80.0, 90.0, SAME_SUBJECT_THRESHOLD, 97.0, 100.0):
        precision, recall, tp, fp, fn, tn = evaluate(index, labelled, threshold)
        mark = "  ← chosen" if threshold == SAME_SUBJECT_THRESHOLD else ""
        print(f"  threshold {threshold:5.1f}: precision {precision:.3f} recall {recall:.3f} "
              f"(tp {tp} fp {fp} fn {fn} tn {tn}){mark}")  # fmt: skip


if __name__ == "__main__":
    main()
