#!/usr/bin/env python3
"""Known-item MRR@10 of newsdex: runs `newsdex search --batch` over a query<TAB>path file.

usage: benches/mrr.py INDEX_DIR KNOWN_ITEM_TSV [--bin target/release/newsdex] [--k 10]
"""
import argparse, json, subprocess, sys

ap = argparse.ArgumentParser()
ap.add_argument("index")
ap.add_argument("tsv")
ap.add_argument("--bin", default="target/release/newsdex")
ap.add_argument("--k", type=int, default=10)
ap.add_argument("--verbose", action="store_true")
a = ap.parse_args()
pairs = [l.rstrip("\n").split("\t") for l in open(a.tsv, encoding="utf-8") if l.strip()]
queries = "\n".join(q for q, _ in pairs) + "\n"
out = subprocess.run([a.bin, "search", "--index", a.index, "--batch", "-", "-n", str(a.k), "--no-snippets"],
                     input=queries, capture_output=True, text=True, check=True)
rows = [json.loads(l) for l in out.stdout.splitlines() if l.strip()]
assert len(rows) == len(pairs), (len(rows), len(pairs))
rr, first, top = 0.0, 0, 0
for (q, want), r in zip(pairs, rows):
    # A target folded into a hit as one of its copies is found at that hit's rank.
    paths = [want if want in h.get("also_in", []) else h["path"] for h in r["hits"]]
    if want in paths:
        rank = paths.index(want) + 1
        rr += 1.0 / rank
        first += rank == 1
        top += 1
        if a.verbose and rank > 1:
            print(f"rank {rank}: {q} -> {want} (top: {paths[0]})")
    elif a.verbose:
        print(f"miss: {q} -> {want}")
n = len(pairs)
print(f"queries {n}  MRR@{a.k} {rr / n:.4f}  first {first}  in top {a.k} {top}")
