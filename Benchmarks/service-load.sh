#!/usr/bin/env bash
# The service under load (issue 13, item 6): INSTITUTIONS institutions at once, each submitting its batches of
# BATCH_SIZE events to POST /v1/batches of `skills-ledger serve` on loopback, then the CLI's `submit` of the same
# batches (the same files, one transaction each) into a fresh copy of the same prepared ledger, for comparison.
#
#   Benchmarks/service-load.sh                       # 50 institutions x 200 batches x 100 events = 1,000,000 events
#   Benchmarks/service-load.sh --events 50000        # a quick run (50 institutions x 10 batches)
#   PREPARE_ONLY=1 WORK=… Benchmarks/service-load.sh # only the ledger, tokens and batches (Scripts/service-kill-campaign.sh)
#
# Steps: build release (main package in $SCRATCH, the load client Benchmarks/ServiceLoad in its own .build);
# `generate` a province large enough; `submit` its workers.csv into $WORK/prepared.sqlite (the events name registered
# workers); one institution token per code (`token create --role institution --source CODE`);
# Benchmarks/service-load-data.py cuts the workers' training, certificate and credit events into the batches; then
# `serve` a copy of the prepared ledger and run Benchmarks/ServiceLoad (async-http-client, HDR histogram), and
# `submit` every batch file into another copy. Prints throughput (events/s, batches/s), latency per batch
# (p50/p90/p99/max), the server's peak RSS, the CLI's wall time and events/s, and checks both ledgers (`verify`, the
# event count). Environment: WORK (default .bench/service-load), SEED, PORT (18080), SCRATCH (.build-release),
# SKIP_BUILD=1, DEADLINE (seconds the client may take, 3600).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
EVENTS=1000000 INSTITUTIONS=50 BATCH_SIZE=100
while [[ $# -gt 0 ]]; do
    case $1 in
        --events) EVENTS=$2; shift 2 ;;
        --institutions) INSTITUTIONS=$2; shift 2 ;;
        --batch-size) BATCH_SIZE=$2; shift 2 ;;
        *) echo "usage: $0 [--events N] [--institutions N] [--batch-size N]" >&2; exit 2 ;;
    esac
done
BATCHES=$(( EVENTS / (INSTITUTIONS * BATCH_SIZE) ))
(( BATCHES >= 1 )) || { echo "service-load.sh: --events must be at least institutions x batch size" >&2; exit 2; }
EVENTS=$(( BATCHES * INSTITUTIONS * BATCH_SIZE ))
SEED=${SEED:-42}
PORT=${PORT:-18080}
WORK=${WORK:-$ROOT/.bench/service-load}
SCRATCH=${SCRATCH:-.build-release}
DEADLINE=${DEADLINE:-3600}
mkdir -p "$WORK"
for tool in sqlite3 python3 /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "service-load.sh: $tool is missing (apt-get install -y sqlite3 time)" >&2; exit 2; }
done

if [[ "${SKIP_BUILD:-}" != 1 ]]; then
    echo "building release…" >&2
    (cd "$ROOT" && swift build -c release --scratch-path "$SCRATCH" --product skills-ledger >&2)
    (cd "$ROOT/Benchmarks/ServiceLoad" && swift build -c release >&2)
fi
BIN=${BIN:-$ROOT/$SCRATCH/release/skills-ledger}
CLIENT=${CLIENT:-$ROOT/Benchmarks/ServiceLoad/.build/release/service-load}

# About 4 institution events per generated worker; 12 % more so that every institution fills its batches.
WORKERS=$(( EVENTS * 28 / 100 + 2000 ))
SHAPE="$EVENTS events, $INSTITUTIONS institutions x $BATCHES batches x $BATCH_SIZE, seed $SEED, $WORKERS workers"
if [[ "$(cat "$WORK/shape" 2>/dev/null)" != "$SHAPE" ]]; then
    echo "preparing: $SHAPE" >&2
    rm -rf "$WORK/province" "$WORK/data" "$WORK"/prepared.sqlite*
    "$BIN" generate --workers "$WORKERS" --seed "$SEED" --out "$WORK/province" --quiet >/dev/null
    "$BIN" submit --ledger "$WORK/prepared.sqlite" --quiet "$WORK/province/workers.csv" >&2
    python3 "$ROOT/Benchmarks/service-load-data.py" "$WORK/province" "$WORK/data" --institutions "$INSTITUTIONS" \
        --batches "$BATCHES" --batch-size "$BATCH_SIZE"
    while read -r code; do
        printf '%s\t%s\n' "$code" "$("$BIN" token create --ledger "$WORK/prepared.sqlite" --role institution --name "inst-$code" --source "$code")"
    done < "$WORK/data/institutions.txt" > "$WORK/data/tokens.tsv"
    echo "$SHAPE" > "$WORK/shape"
fi
[[ "${PREPARE_ONLY:-}" == 1 ]] && exit 0
PREPARED=$(sqlite3 "$WORK/prepared.sqlite" "SELECT count(*) FROM events")

fresh() { rm -f "$1" "$1-wal" "$1-shm"; cp "$WORK/prepared.sqlite" "$1"; }

# --- the service ---------------------------------------------------------------------------------------------------
fresh "$WORK/service.sqlite"
"$BIN" serve --ledger "$WORK/service.sqlite" --port "$PORT" 2> "$WORK/serve.log" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q "listening on" "$WORK/serve.log" && break; sleep 0.1; done
grep -q "listening on" "$WORK/serve.log" || { echo "service-load.sh: serve did not start"; cat "$WORK/serve.log"; exit 1; } >&2
echo "service: $SHAPE" >&2
"$CLIENT" --url "http://127.0.0.1:$PORT" --data "$WORK/data" --deadline "$DEADLINE" --summary "$WORK/service.summary" >&2 || true
SERVER_RSS=$(awk '/VmHWM/ { printf "%d", $2 / 1024 }' /proc/$SERVER/status)
kill -TERM $SERVER; wait $SERVER || true
trap - EXIT

# --- the CLI, the same batch files into a fresh copy of the same ledger --------------------------------------------
fresh "$WORK/cli.sqlite"
echo "cli: submit of the same $(( INSTITUTIONS * BATCHES )) batch files" >&2
find "$WORK/data/batches" -name '*.jsonl' | sort > "$WORK/files.txt"
/usr/bin/time -v -o "$WORK/cli.time" xargs -s $(( $(getconf ARG_MAX) - 65536 )) -a "$WORK/files.txt" \
    "$BIN" submit --ledger "$WORK/cli.sqlite" --quiet > "$WORK/cli.out"
CLI_WALL=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); print (n == 3 ? t[1] * 3600 + t[2] * 60 + t[3] : t[1] * 60 + t[2]) }' "$WORK/cli.time")
CLI_RSS=$(awk -F': ' '/Maximum resident set size/ { printf "%d", $2 / 1024 }' "$WORK/cli.time")
# One submit process for all the files when they fit one command line (10,000 paths do, with -s near ARG_MAX);
# the time covers xargs and every submit it ran either way.
(( $(grep -c . "$WORK/cli.out") == INSTITUTIONS * BATCHES )) || echo "service-load.sh: the CLI wrote $(grep -c . "$WORK/cli.out") receipts" >&2

# --- checks and the table ----------------------------------------------------------------------------------------
value() { awk -F= -v k="$1" '$1 == k { print $2 }' "$WORK/service.summary"; }
for ledger in service cli; do
    count=$(sqlite3 "$WORK/$ledger.sqlite" "SELECT count(*) FROM events WHERE kind NOT LIKE 'access.%'")
    "$BIN" verify --ledger "$WORK/$ledger.sqlite" --quiet > "$WORK/$ledger.verify" || { echo "service-load.sh: verify failed on $ledger"; exit 1; }
    echo "$ledger ledger: $(( count - PREPARED + INSTITUTIONS )) events added (expected $EVENTS), verify: $(head -1 "$WORK/$ledger.verify")" >&2
done
SERVICE_WALL=$(value wall_seconds) SERVICE_RATE=$(value events_per_second)
CLI_RATE=$(awk -v n="$EVENTS" -v s="$CLI_WALL" 'BEGIN { printf "%.0f", n / s }')
{
    echo "| run | events | batches | wall (s) | events/s | batches/s | p50 (ms) | p90 (ms) | p99 (ms) | max (ms) | peak RSS (MB) |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    echo "| service, $INSTITUTIONS clients | $(value events_acknowledged) | $(value batches_acknowledged) | $SERVICE_WALL | $SERVICE_RATE | $(value batches_per_second) | $(value latency_ms_p50) | $(value latency_ms_p90) | $(value latency_ms_p99) | $(value latency_ms_max) | $SERVER_RSS |"
    echo "| CLI submit, one process | $EVENTS | $(( INSTITUTIONS * BATCHES )) | $CLI_WALL | $CLI_RATE | $(awk -v n=$(( INSTITUTIONS * BATCHES )) -v s="$CLI_WALL" 'BEGIN { printf "%.1f", n / s }') | — | — | — | — | $CLI_RSS |"
    echo
    echo "service ÷ CLI (events/s): $(awk -v a="$SERVICE_RATE" -v b="$CLI_RATE" 'BEGIN { printf "%.2f", a / b }'); failed batches: $(value batches_failed)"
} | tee "$WORK/results.md"
