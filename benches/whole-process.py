#!/usr/bin/env python3
"""Whole `newsdex search` processes per query file: start-up, index open, search and output.

    benches/whole-process.py INDEX_DIR [BIN] [QUERIES_DIR]

30 queries per file (a fixed shuffle), one process each after one untimed run, page cache
warm; prints a Markdown row per file with the median and p90 wall time.
"""
import os, random, statistics, subprocess, sys, time

IDX = sys.argv[1]
BIN = sys.argv[2] if len(sys.argv) > 2 else "target/release/newsdex"
QUERIES = sys.argv[3] if len(sys.argv) > 3 else os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "bench", "queries")
files = ["and2.txt", "known-item.tsv", "names.txt", "phrase.txt", "terms.txt"]
for f in files:
    lines = [l.rstrip("\n") for l in open(os.path.join(QUERIES, f)) if l.strip()]
    if f.endswith(".tsv"): lines = [l.split("\t")[0] for l in lines]
    if f == "phrase.txt": lines = [l if l.startswith('"') else f'"{l}"' for l in lines]
    random.Random(1).shuffle(lines); qs = lines[:30]
    subprocess.run([BIN, "search", qs[0], "--index", IDX, "-n", "10"], capture_output=True)
    ts = []
    for q in qs:
        t = time.perf_counter(); subprocess.run([BIN, "search", q, "--index", IDX, "-n", "10"], capture_output=True); ts.append((time.perf_counter() - t) * 1e3)
    ts.sort()
    print(f"| {f} | {len(qs)} | {statistics.median(ts):.1f} ms | {ts[int(0.9*(len(ts)-1))]:.1f} ms |", flush=True)
