#!/usr/bin/env python3
"""Index time and size against corpus size: a PNG for issue 16's growth goal.

    python3 benches/growth-plot.py growth.tsv benches/growth.png

growth.tsv has a header `articles  wall_s  index_bytes  peak_rss_kb` and one row per run
(`/usr/bin/time -v newsdex index` of the first N lines of one `make-corpus --jsonl` file).
Needs matplotlib (`pip install matplotlib`); prints the per-article figures and their ratio
to the smallest run.
"""
import csv, sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
n = [int(r["articles"]) for r in rows]
wall = [float(r["wall_s"]) for r in rows]
size = [int(r["index_bytes"]) / 1e6 for r in rows]
rss = [int(r["peak_rss_kb"]) / 1024 for r in rows]
base_t, base_s = wall[0] / n[0], size[0] / n[0]
for k, t, s, m in zip(n, wall, size, rss):
    print(f"{k:>9,} articles: {t:7.1f} s ({t / k * 1e3:.3f} ms/article, x{t / k / base_t:.2f}), "
          f"index {s:7.0f} MB ({s / k * 1e3:.2f} kB/article, x{s / k / base_s:.2f}), peak RSS {m:.0f} MB")

fig, (a, b) = plt.subplots(1, 2, figsize=(10, 4))
a.plot(n, wall, "o-", label="newsdex index (wall)")
a.plot([0, n[-1]], [0, base_t * n[-1]], "--", color="grey", label="linear from the smallest run")
a.set_xlabel("articles")
a.set_ylabel("seconds")
a.set_title("Index time")
a.legend()
b.plot(n, size, "o-", color="tab:green", label="index size")
b.plot(n, rss, "s-", color="tab:red", label="peak RSS")
b.axhline(400, color="tab:red", linestyle=":", label="400 MB RSS bar")
b.set_xlabel("articles")
b.set_ylabel("MB")
b.set_yscale("log")
b.set_title("Index size and peak memory")
b.legend()
fig.tight_layout()
fig.savefig(sys.argv[2], dpi=100)
