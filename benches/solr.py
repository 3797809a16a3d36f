#!/usr/bin/env python3
"""newsdex on SolrCloud beside local newsdex, on the same files.

Starts the two-node test cluster of solr/cluster/ (build it first: `mvn -q -f
solr/cluster/pom.xml package -DskipTests`), creates a collection (2 shards x 2 replicas),
and measures:
  * push throughput: `newsdex push CORPUS --solr ...` (articles/s, whole process), beside
    `newsdex index CORPUS` into a fresh local index;
  * query latency: each known-item query run as a whole `newsdex search Q -n 10 --json`
    process, through --solr and on the local index, interleaved; median and p90;
  * agreement: how often both give the same top hit, and how often each ranks the known
    item first.

usage: benches/solr.py CORPUS KNOWN_ITEM_TSV [--bin target/release/newsdex] [--queries 100]
       benches/solr.py ../shared/corpora/bbc ../shared/bench/queries/known-item.tsv
Reads CORPUS, never writes to it; the local index and the cluster's data live in temp folders.
"""
import argparse, json, os, pathlib, statistics, subprocess, sys, tempfile, time

ROOT = pathlib.Path(__file__).resolve().parent.parent
ap = argparse.ArgumentParser()
ap.add_argument("corpus")
ap.add_argument("tsv")
ap.add_argument("--bin", default=str(ROOT / "target/release/newsdex"))
ap.add_argument("--queries", type=int, default=100)
a = ap.parse_args()


def start_cluster():
    proj = ROOT / "solr/cluster"
    cp = f"{proj / 'target/classes'}:{(proj / 'target/classpath.txt').read_text().strip()}"
    t = time.time()
    p = subprocess.Popen(["java", "-cp", cp, "newsdex.solr.Cluster"], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    nodes = None
    for line in p.stdout:
        if line.startswith("NEWSDEX_SOLR_NODES "):
            nodes = line.split(" ", 1)[1].strip()
        if line.startswith("NEWSDEX_SOLR_READY"):
            break
    print(f"cluster: 2 nodes up in {time.time() - t:.1f} s (pid {p.pid})")
    return p, nodes


def run(args, **kw):
    t = time.perf_counter()
    out = subprocess.run([a.bin] + args, capture_output=True, text=True, **kw)
    return time.perf_counter() - t, out


def top(out):
    for line in out.stdout.splitlines():
        v = json.loads(line)
        return v.get("path") if v.get("type") == "hit" else None
    return None


def rss_kb(pid):
    total = 0
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            total += int(line.split()[1])
    return total


cluster, nodes = start_cluster()
try:
    solr = ["--solr", nodes, "--collection", "bench"]
    _, out = run(["solr", "init", "--shards", "2", "--replicas", "2"] + solr)
    print(out.stdout.strip() or out.stderr.strip())
    secs, out = run(["push", a.corpus, "--json", "-q"] + solr)
    s = json.loads(out.stdout)
    print(f"push: {s['articles_read']} articles, {s['quotes_extracted']} quotes in {secs:.2f} s "
          f"(process) = {s['articles_read'] / secs:.0f} articles/s; collection holds "
          f"{s['articles_in_index']} articles, {s['quotes_in_index']} quotes")
    secs2, out = run(["push", a.corpus, "--json", "-q"] + solr)
    print(f"push again (nothing changed): {secs2:.2f} s, {json.loads(out.stdout)['unchanged']} unchanged")
    print(f"cluster RSS after push: {rss_kb(cluster.pid) / 1024:.0f} MB (one JVM, both nodes and ZooKeeper)")
    with tempfile.TemporaryDirectory() as tmp:
        idx = os.path.join(tmp, "idx")
        secs, out = run(["index", a.corpus, "--index", idx, "--json", "-q"])
        s = json.loads(out.stdout)
        print(f"local index: {s['articles_read']} articles in {secs:.2f} s (process) = "
              f"{s['articles_read'] / secs:.0f} articles/s")
        pairs = [l.rstrip("\n").split("\t") for l in open(a.tsv, encoding="utf-8") if l.strip()]
        pairs = pairs[: a.queries]
        lat = {"solr": [], "local": []}
        first = {"solr": 0, "local": 0}
        same = 0
        for q, want in pairs:
            ts, o_s = run(["search", q, "-n", "10", "--json"] + solr)
            tl, o_l = run(["search", q, "-n", "10", "--json", "--index", idx])
            lat["solr"].append(ts * 1e3)
            lat["local"].append(tl * 1e3)
            hs, hl = top(o_s), top(o_l)
            first["solr"] += hs == want
            first["local"] += hl == want
            same += hs == hl
        n = len(pairs)
        for k in ("local", "solr"):
            v = sorted(lat[k])
            print(f"{k:5} search process: median {statistics.median(v):.1f} ms, p90 "
                  f"{v[int(0.9 * (n - 1))]:.1f} ms; known item first {first[k]}/{n}")
        print(f"same top hit: {same}/{n} ({100 * same / n:.1f}%)")
finally:
    cluster.stdin.close()
    cluster.wait(timeout=60)
