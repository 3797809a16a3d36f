#!/usr/bin/env python3
"""Whole-process cost of the metadata features on an index: a date-filtered search against
the same search unfiltered, date sorts, facets and histograms.

    benches/metadata.py INDEX_DIR [--bin target/release/newsdex] [--runs 15]
        [--query 'government'] [--since 2024-01 --until 2024-06]

Each command runs --runs times (after one warm-up run); the median and p90 wall times of
the whole process (start-up, index open, search, counts, output) are printed, and the
ratio of the filtered search to the unfiltered one. That ratio is taken from a separate
paired run (--pairs times, the two commands alternated) so that drift in the machine's
speed falls on both alike.
"""

import argparse
import statistics
import subprocess
import time


def timed(cmd, runs):
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append((time.perf_counter() - t) * 1e3)
    times.sort()
    return statistics.median(times), times[int(round((len(times) - 1) * 0.9))]


def paired(a, b, runs):
    """Median wall times of commands a and b, run alternately."""
    for cmd in (a, b):
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ta, tb = [], []
    for _ in range(runs):
        for cmd, out in ((a, ta), (b, tb)):
            t = time.perf_counter()
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            out.append((time.perf_counter() - t) * 1e3)
    return statistics.median(ta), statistics.median(tb)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("index")
    ap.add_argument("--bin", default="target/release/newsdex")
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--pairs", type=int, default=101)
    ap.add_argument("--query", default="government")
    ap.add_argument("--since", default="2024-01")
    ap.add_argument("--until", default="2024-06")
    a = ap.parse_args()
    base = [a.bin, "search", "--index", a.index, "-n", "10"]
    dates = ["--since", a.since, "--until", a.until]
    cases = [
        ("search QUERY", [a.query]),
        ("search QUERY --since --until", [a.query] + dates),
        ("search QUERY --sort -date", [a.query, "--sort", "-date"]),
        ("search '*' --no-snippets", ["*", "--no-snippets"]),
        ("search '*' --no-snippets --since --until", ["*", "--no-snippets"] + dates),
        ("search QUERY --facet source", [a.query, "--facet", "source"]),
        ("search QUERY --facet category", [a.query, "--facet", "category"]),
        ("search QUERY --histogram month", [a.query, "--histogram", "month"]),
        ("search '*' --no-snippets --facet category", ["*", "--no-snippets", "--facet", "category"]),
        ("search '*' --no-snippets --histogram month", ["*", "--no-snippets", "--histogram", "month"]),
    ]
    medians = {}
    print(f"{'command':<48} {'median ms':>10} {'p90 ms':>8}")
    for name, args in cases:
        med, p90 = timed(base + args, a.runs)
        medians[name] = med
        print(f"{name:<48} {med:>10.1f} {p90:>8.1f}")
    plain, limited = paired(base + [a.query], base + [a.query] + dates, a.pairs)
    print(
        f"paired, {a.pairs} runs each: unfiltered {plain:.1f} ms, date-filtered {limited:.1f} ms"
    )
    print(f"date-filtered / unfiltered search: {limited / plain:.2f}x")


if __name__ == "__main__":
    main()
