#!/usr/bin/env bash
# Load on `newsdex serve` with wrk (Debian package `wrk`), on loopback only:
# requests/s, p50/p99 latency and the share of errors at 1, 16 and 64 concurrent clients,
# then an overload past the in-flight cap (503s expected) with the server's memory before
# and after.
#
#   benches/serve-load.sh INDEX_DIR QUERY_FILE [SECONDS]
#
# QUERY_FILE: one query per line (e.g. ../shared/bench/queries/and2.txt). SECONDS per run
# (default 10). Uses target/release/newsdex (build it first). Prints Markdown tables.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
INDEX="${1:?INDEX_DIR}" QUERIES="$(realpath "${2:?QUERY_FILE}")" SECS="${3:-10}"
BIN="$ROOT/target/release/newsdex"
[ -x "$BIN" ] || { echo "build first: cargo build --release" >&2; exit 2; }
command -v wrk >/dev/null || { echo "wrk missing: apt-get install wrk" >&2; exit 2; }
export QUERIES
LOG="$(mktemp)"
PID=""
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -f "$LOG"' EXIT

start() { # start [serve options]: the server on a free loopback port; sets PID and URL
    "$BIN" serve --index "$INDEX" --addr 127.0.0.1:0 "$@" 2>"$LOG" &
    PID=$!
    for _ in $(seq 100); do grep -q 'at http://' "$LOG" && break; sleep 0.1; done
    URL="$(sed -n 's#.*at \(http://[^ ]*\)/$#\1#p' "$LOG")"
    [ -n "$URL" ] || { cat "$LOG" >&2; exit 1; }
    curl -fs "$URL/healthz" >/dev/null
}
stop() { kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""; }
rss_mb() { awk '/^VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$PID/status"; }

# run CLIENTS: one wrk run; prints a table row.
run() {
    local c="$1" t=$(( $1 < 2 ? 1 : 2 ))
    local out; out="$(wrk -t "$t" -c "$c" -d "${SECS}s" --latency -s "$ROOT/benches/serve-load.lua" "$URL")"
    local total rps p50 p99 bad sock
    total=$(echo "$out" | awk '/requests in/ {print $1}')
    rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
    p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
    bad=$(echo "$out" | awk '/Non-2xx/ {print $NF}'); bad=${bad:-0}
    sock=$(echo "$out" | awk '/Socket errors/ {gsub(",", ""); print $4 + $6 + $8 + $10}'); sock=${sock:-0}
    printf '| %s | %s | %s | %s | %s | %s (%.2f%%) |\n' "$c" "$total" "$rps" "$p50" "$p99" \
        "$((bad + sock))" "$(echo "($bad + $sock) * 100 / $total" | bc -l)"
}

start
echo "| clients | requests | requests/s | p50 | p99 | errors (non-2xx + socket) |"
echo "|---|---|---|---|---|---|"
for c in 1 16 64; do run "$c"; done
echo
echo "server RSS after the runs: $(rss_mb) MB"
stop

# Past the cap: 256 clients against 16 places.
start --max-in-flight 16
echo
echo "Overload: 256 clients, --max-in-flight 16, two runs of ${SECS} s"
echo
echo "| clients | requests | requests/s | p50 | p99 | errors (503s + socket) |"
echo "|---|---|---|---|---|---|"
before=$(rss_mb)
run 256
mid=$(rss_mb)
run 256
echo
echo "server RSS: ${before} MB before, ${mid} MB after run 1, $(rss_mb) MB after run 2"
stop
