#!/usr/bin/env bash
# newsdex end-to-end benchmark: indexing, re-indexing, batch and per-process search,
# quotes/speakers, known-item MRR; optionally side by side with the shared peers.
#
#   benches/run.sh CORPUS_DIR [QUERY_DIR] [options]
#
# QUERY_DIR defaults to ../shared/bench/queries. Options:
#   --peers LIST        also run ../shared/bench/peers/run-all --peers LIST --extra-peer
#                       newsdex=benches/peer on the same corpus (e.g. lucene,tantivy-rs,sqlite-fts5)
#   --peer-args "ARGS"  extra arguments for run-all (e.g. "--index-runs 1 --warmup-seconds 2")
#   --work DIR          work folder (default /tmp/newsdex-bench); the run uses DIR/run-PID
#   --runs N            processes per whole-process timing (default 20)
#   --batch-runs N      `search --batch` runs per query file, median reported (default 3)
#   --no-copy           index CORPUS_DIR in place and skip the re-index measurements
#   --no-build          use target/release as it is
#   --keep              keep the work folder (index, corpus copy, logs)
#
# The corpus is never modified: re-indexing runs on a hard-linked copy (`cp -al`, a full
# copy when that fails) in which the changed files are written as new files.
set -euo pipefail

usage() { sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CORPUS="" QDIR="" PEERS="" PEER_ARGS="" WORK="${NEWSDEX_BENCH_WORK:-/tmp/newsdex-bench}"
RUNS=20 BATCH_RUNS=3 COPY=1 BUILD=1 KEEP=0
while [ $# -gt 0 ]; do
    case "$1" in
        --peers) PEERS="$2"; shift 2 ;;
        --peer-args) PEER_ARGS="$2"; shift 2 ;;
        --work) WORK="$2"; shift 2 ;;
        --runs) RUNS="$2"; shift 2 ;;
        --batch-runs) BATCH_RUNS="$2"; shift 2 ;;
        --no-copy) COPY=0; shift ;;
        --no-build) BUILD=0; shift ;;
        --keep) KEEP=1; shift ;;
        -h|--help) usage ;;
        -*) echo "run.sh: unknown option $1" >&2; usage ;;
        *) if [ -z "$CORPUS" ]; then CORPUS="$1"; elif [ -z "$QDIR" ]; then QDIR="$1"; else usage; fi; shift ;;
    esac
done
[ -n "$CORPUS" ] || usage
[ -d "$CORPUS" ] || { echo "run.sh: no corpus folder $CORPUS" >&2; exit 2; }
CORPUS="$(cd "$CORPUS" && pwd)"
QDIR="$(cd "${QDIR:-$ROOT/../shared/bench/queries}" && pwd)"
cd "$ROOT"
U="python3 $ROOT/benches/bench_util.py"
BIN="$ROOT/target/release/newsdex"

if [ "$BUILD" = 1 ]; then
    echo "== cargo build --release" >&2
    cargo build --release --bins >&2
fi
[ -x "$BIN" ] && [ -x "$ROOT/target/release/newsdex-peer" ] || { echo "run.sh: build target/release first" >&2; exit 2; }

mkdir -p "$WORK"
W="$WORK/run-$$"
mkdir -p "$W/logs"
cleanup() { if [ "$KEEP" = 0 ]; then rm -rf "$W"; else echo "work folder kept: $W" >&2; fi; }
trap cleanup EXIT
IDX="$W/index"
LOG="$W/logs"

SRC="$CORPUS"
if [ "$COPY" = 1 ]; then
    echo "== copying the corpus (hard links) to $W/corpus" >&2
    cp -al "$CORPUS" "$W/corpus" 2>/dev/null || { rm -rf "$W/corpus"; cp -a "$CORPUS" "$W/corpus"; }
    SRC="$W/corpus"
fi
$U queries "$QDIR" "$W/queries" >/dev/null

# Drop what other runs left in the page cache? Not possible without root rights everywhere;
# the corpus is read once before the timed run instead, so every run sees a warm cache.
echo "== warming the page cache with the corpus" >&2
find "$SRC" -type f \( -name '*.txt' -o -name '*.md' \) -print0 | xargs -0 cat > /dev/null

echo "== index (full)" >&2
/usr/bin/time -v -o "$LOG/index.time" "$BIN" index "$SRC" --index "$IDX" --json --quiet > "$LOG/index.json"
read -r I_SECS I_BYTES I_ADDED _ _ I_ARTS I_QUOTES < <($U index-json "$LOG/index.json")
read -r I_WALL I_RSS < <($U gnu-time "$LOG/index.time")
SIZE_BYTES=$(du -sb "$IDX" | cut -f1)
SEGMENTS=$("$BIN" stats --index "$IDX" --json | grep -o '"segments":[0-9]*' | cut -d: -f2)

R0_SECS="" R1_SECS="" R1_UPD=""
if [ "$COPY" = 1 ]; then
    echo "== re-index, nothing changed" >&2
    /usr/bin/time -v -o "$LOG/reindex0.time" "$BIN" index "$SRC" --index "$IDX" --json --quiet > "$LOG/reindex0.json"
    read -r R0_SECS _ _ _ R0_UNCH _ _ < <($U index-json "$LOG/reindex0.json")
    read -r R0_WALL R0_RSS < <($U gnu-time "$LOG/reindex0.time")
    echo "== re-index, 1% of the files changed" >&2
    CHANGED=$($U touch-1pct "$SRC")
    /usr/bin/time -v -o "$LOG/reindex1.time" "$BIN" index "$SRC" --index "$IDX" --json --quiet > "$LOG/reindex1.json"
    read -r R1_SECS _ _ R1_UPD _ _ _ < <($U index-json "$LOG/reindex1.json")
    read -r R1_WALL R1_RSS < <($U gnu-time "$LOG/reindex1.time")
fi
IDX_MB=$(python3 -c "print('%.1f' % ($SIZE_BYTES/1e6))")

echo "== search --batch, per query file" >&2
BATCH_ROWS=""
MRR=""
for q in "$W"/queries/*.txt; do
    name=$(basename "$q" .txt)
    for mode in snip nosnip; do
        flag=""; [ "$mode" = nosnip ] && flag="--no-snippets"
        : > "$LOG/batch-$name-$mode.all"
        for r in $(seq "$BATCH_RUNS"); do
            "$BIN" search --batch "$q" --index "$IDX" -n 10 $flag > "$LOG/batch-$name-$mode.jsonl" 2> "$LOG/batch-$name-$mode.err"
            $U batch-line "$LOG/batch-$name-$mode.err" >> "$LOG/batch-$name-$mode.all"
        done
    done
    # the run with the median queries/s
    read -r QPS P50 P99 NQ < <(sort -n "$LOG/batch-$name-snip.all" | sed -n "$(( (BATCH_RUNS + 1) / 2 ))p")
    read -r QPS_NS _ _ _ < <(sort -n "$LOG/batch-$name-nosnip.all" | sed -n "$(( (BATCH_RUNS + 1) / 2 ))p")
    read -r PMED PMIN P90 < <($U proc-time --runs "$RUNS" --queries "$q" -- "$BIN" search "{}" --index "$IDX" -n 10)
    BATCH_ROWS+="| $name | $NQ | $QPS | $QPS_NS | $P50 | $P99 | $PMED | $P90 |"$'\n'
    if [ "$name" = known-item ] && [ -f "$QDIR/known-item.tsv" ]; then
        read -r MRR FOUND < <($U mrr "$LOG/batch-$name-snip.jsonl" "$QDIR/known-item.tsv")
    fi
done

echo "== quotes and speakers processes" >&2
# 20 single terms spread over the rare/medium/common bands of terms.txt
awk 'NR % 15 == 1' "$W/queries/terms.txt" > "$W/queries/qs-terms.txt"
read -r QT_MED _ QT_P90 < <($U proc-time --runs "$RUNS" --queries "$W/queries/qs-terms.txt" -- "$BIN" quotes "{}" --index "$IDX" -n 10)
read -r SP_MED _ SP_P90 < <($U proc-time --runs "$RUNS" --queries "$W/queries/qs-terms.txt" -- "$BIN" speakers "{}" --index "$IDX" -n 20)
read -r SA_MED _ SA_P90 < <($U proc-time --runs 5 -- "$BIN" speakers --index "$IDX" -n 20)
read -r ST_MED _ _ < <($U proc-time --runs 5 -- "$BIN" stats --index "$IDX")

ARTS_PER_S=$(python3 -c "print('%.0f' % ($I_ADDED/$I_SECS))")
MB_PER_S=$(python3 -c "print('%.1f' % ($I_BYTES/1e6/$I_SECS))")
{
echo
echo "## newsdex on $(basename "$CORPUS") ($I_ADDED articles, $(python3 -c "print('%.1f' % ($I_BYTES/1e6))") MB read)"
echo
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, $(git -C "$ROOT" rev-parse --short HEAD), load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| index | value |"
echo "|---|---|"
echo "| full index, time inside newsdex | $I_SECS s |"
echo "| full index, process wall time | $I_WALL s |"
echo "| throughput | $MB_PER_S MB/s, $ARTS_PER_S articles/s |"
echo "| peak RSS (index) | $I_RSS MB |"
echo "| index size on disk | $IDX_MB MB ($SEGMENTS segments; $I_ARTS articles, $I_QUOTES quotes) |"
if [ "$COPY" = 1 ]; then
echo "| re-index, nothing changed | $R0_SECS s ($(python3 -c "print('%.1f' % (100*$R0_SECS/$I_SECS))")% of full; process $R0_WALL s, $R0_RSS MB) |"
echo "| re-index, 1% changed ($CHANGED files, $R1_UPD updated) | $R1_SECS s ($(python3 -c "print('%.1f' % (100*$R1_SECS/$I_SECS))")% of full; process $R1_WALL s, $R1_RSS MB) |"
fi
[ -n "$MRR" ] && echo "| known-item MRR@10 (search --batch, snippets on) | $MRR (target in top 10: $FOUND%) |"
echo
echo "| query file | queries | batch q/s (snippets) | batch q/s (no snippets) | batch p50 ms | batch p99 ms | process median ms | process p90 ms |"
echo "|---|---|---|---|---|---|---|---|"
printf '%s' "$BATCH_ROWS"
echo
echo "| command (one process each) | median ms | p90 ms |"
echo "|---|---|---|"
echo "| newsdex quotes WORD ($RUNS runs, 20 terms) | $QT_MED | $QT_P90 |"
echo "| newsdex speakers WORD ($RUNS runs, 20 terms) | $SP_MED | $SP_P90 |"
echo "| newsdex speakers (all quotes, 5 runs) | $SA_MED | $SA_P90 |"
echo "| newsdex stats (5 runs) | $ST_MED | |"
echo
echo "batch: \`newsdex search --batch FILE -n 10\` in one process, median of $BATCH_RUNS runs by q/s (p50/p99 from that run; snippets on every hit). process: wall time of one \`newsdex search QUERY -n 10\` process (start-up, index open, total count, snippets and quotes of every hit), over $RUNS runs cycling through the file's queries, after one warm-up run. phrase and names queries run as phrases."
} | tee "$W/summary.md"
[ "$KEEP" = 1 ] || cp "$W/summary.md" "$WORK/summary-$(basename "$CORPUS").md"

if [ -n "$PEERS" ]; then
    echo "== peers: run-all --peers $PEERS --extra-peer newsdex=benches/peer" >&2
    # shellcheck disable=SC2086
    "$ROOT/../shared/bench/peers/run-all" --peers "$PEERS" --extra-peer newsdex=benches/peer \
        --corpus "$CORPUS" --queries "$QDIR" --work "$WORK/peers-$(basename "$CORPUS")" $PEER_ARGS
fi
