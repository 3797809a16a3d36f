#!/usr/bin/env python3
"""Helpers for benches/run.sh (Python 3 standard library only).

  bench_util.py queries QUERY_DIR OUT_DIR        query files as newsdex batch files
  bench_util.py touch-1pct CORPUS_COPY           rewrite every 100th article (new inode)
  bench_util.py gnu-time FILE                    wall seconds and peak RSS (MB) of /usr/bin/time -v
  bench_util.py index-json FILE                  seconds, bytes_read, added, updated, unchanged
  bench_util.py batch-line FILE                  q/s, p50, p99 from `search --batch` stderr
  bench_util.py mrr BATCH_JSONL KNOWN_ITEM_TSV   MRR@10 and found share
  bench_util.py proc-time --runs N -- CMD...     median wall ms of N runs of CMD, "{}" = query
                  (with --queries FILE: the Nth run gets the Nth query of FILE, cycled)
"""
import json
import os
import re
import statistics
import subprocess
import sys
import time


def queries(qdir, out):
    """terms/and2 as they are; phrase and names wrapped in quotes (phrase queries, as the
    query README asks); known-item: the query column. Prints the names written."""
    os.makedirs(out, exist_ok=True)
    for name, kind in [("terms.txt", "plain"), ("and2.txt", "plain"), ("phrase.txt", "phrase"),
                       ("names.txt", "phrase"), ("known-item.tsv", "tsv")]:
        src = os.path.join(qdir, name)
        if not os.path.exists(src):
            continue
        lines = []
        for line in open(src, encoding="utf-8"):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            if kind == "tsv":
                line = line.split("\t")[0]
            elif kind == "phrase" and not line.startswith('"'):
                line = '"%s"' % line.replace('"', " ").strip()
            lines.append(line)
        dst = os.path.join(out, name.replace(".tsv", ".txt"))
        with open(dst, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        print(dst)


def touch_1pct(copy):
    """Every 100th article file (sorted order) gets a line appended. The file is unlinked and
    written anew, so a hard-linked copy never changes the original."""
    files = []
    for d, _, names in os.walk(copy):
        files.extend(os.path.join(d, n) for n in names if n.endswith((".txt", ".md")))
    files.sort()
    chosen = files[::100]
    for p in chosen:
        with open(p, "rb") as f:
            data = f.read()
        os.unlink(p)
        with open(p, "wb") as f:
            f.write(data.rstrip(b"\n") + b"\n\nThis article was updated.\n")
    print(len(chosen))


def gnu_time(path):
    txt = open(path).read()
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", txt).group(1))
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", txt).group(1)
    secs = 0.0
    for part in wall.split(":"):
        secs = secs * 60 + float(part)
    print("%.3f %.1f" % (secs, rss / 1024))


def index_json(path):
    v = json.loads(open(path).read().strip().splitlines()[-1])
    print(v["seconds"], v["bytes_read"], v["added"], v["updated"], v["unchanged"],
          v.get("articles_in_index", 0), v.get("quotes_in_index", 0))


def batch_line(path):
    txt = open(path).read()
    m = re.search(r"batch: (\d+) queries in ([\d.]+) s \((\d+) queries/s\), latency p50 ([\d.]+) ms, "
                  r"p99 ([\d.]+) ms", txt)
    if not m:
        sys.exit("no batch line in %s" % path)
    print(m.group(3), m.group(4), m.group(5), m.group(1))


def mrr(batch, tsv, k=10):
    pairs = [l.rstrip("\n").split("\t") for l in open(tsv, encoding="utf-8") if l.strip()]
    rows = [json.loads(l) for l in open(batch, encoding="utf-8") if l.strip()]
    if len(rows) != len(pairs):
        sys.exit("mrr: %d result lines for %d queries" % (len(rows), len(pairs)))
    rr, found = 0.0, 0
    for (_, want), r in zip(pairs, rows):
        paths = [h["path"] for h in r.get("hits", [])][:k]
        if want in paths:
            rr += 1.0 / (paths.index(want) + 1)
            found += 1
    print("%.4f %.1f" % (rr / len(pairs), 100.0 * found / len(pairs)))


def proc_time(args):
    runs, qfile = 20, None
    while args and args[0] != "--":
        if args[0] == "--runs":
            runs = int(args[1])
            args = args[2:]
        elif args[0] == "--queries":
            qfile = args[1]
            args = args[2:]
        else:
            sys.exit("proc-time: unknown option %s" % args[0])
    cmd = args[1:]
    qs = [""]
    if qfile:
        qs = [l.strip() for l in open(qfile, encoding="utf-8") if l.strip()] or [""]
    times = []
    for i in range(runs + 1):  # run 0 is a warm-up, not counted
        q = qs[i % len(qs)] if i > 0 else qs[0]
        argv = [q if a == "{}" else a for a in cmd]
        t = time.perf_counter()
        r = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        dt = (time.perf_counter() - t) * 1e3
        if r.returncode not in (0, 1):  # 1 = no results
            sys.exit("proc-time: %s exited %d" % (argv, r.returncode))
        if i > 0:
            times.append(dt)
    times.sort()
    print("%.1f %.1f %.1f" % (statistics.median(times), times[0], times[int(0.9 * (len(times) - 1))]))


def main():
    a = sys.argv[1:]
    if not a:
        sys.exit(__doc__)
    cmd, rest = a[0], a[1:]
    if cmd == "queries":
        queries(*rest)
    elif cmd == "touch-1pct":
        touch_1pct(*rest)
    elif cmd == "gnu-time":
        gnu_time(*rest)
    elif cmd == "index-json":
        index_json(*rest)
    elif cmd == "batch-line":
        batch_line(*rest)
    elif cmd == "mrr":
        mrr(*rest)
    elif cmd == "proc-time":
        proc_time(rest)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
