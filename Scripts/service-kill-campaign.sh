#!/usr/bin/env bash
# kill -9 under load (issue 13, item 6): the load of Benchmarks/service-load.sh runs against `skills-ledger serve`
# while the server is killed with SIGKILL at random moments KILLS times and restarted each time. The client keeps
# going: a refused or broken connection (or a 5xx) is retried with the same batch and the same Idempotency-Key, so
# that a retry can never record a batch twice. At the end:
#   - every batch answered 201 is in the ledger: all of its event ids;
#   - no batch is half recorded: for every batch sent, all of its ids or none are in the ledger;
#   - no event was recorded twice (ids are UNIQUE, and the count is the number of whole batches times their size);
#   - `skills-ledger verify` passes.
#
#   Scripts/service-kill-campaign.sh                       # 20 kills, 800,000 events (50 x 160 batches of 100)
#   KILL_SEED=1234 KILLS=5 Scripts/service-kill-campaign.sh --events 50000    # a quick one
# Environment: KILL_SEED (random by default, printed), KILLS (20), GAP_MIN_MS/GAP_MAX_MS (time between a restart and
# the next kill: 300–3000 ms), DEADLINE (seconds for the whole load, 1200), WORK (.bench/service-kill), PORT (18081),
# SKIP_BUILD=1. Prints a summary line per check and writes $WORK/result.txt; exit 1 when a check fails.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
EVENTS=800000
[[ ${1:-} == --events ]] && EVENTS=$2
export WORK=${WORK:-$ROOT/.bench/service-kill} PORT=${PORT:-18081}
KILLS=${KILLS:-20} GAP_MIN_MS=${GAP_MIN_MS:-300} GAP_MAX_MS=${GAP_MAX_MS:-3000} DEADLINE=${DEADLINE:-1200}
KILL_SEED=${KILL_SEED:-$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')}
RANDOM=$KILL_SEED
PREPARE_ONLY=1 "$ROOT/Benchmarks/service-load.sh" --events "$EVENTS"
SCRATCH=${SCRATCH:-.build-release}
BIN=${BIN:-$ROOT/$SCRATCH/release/skills-ledger}
CLIENT=${CLIENT:-$ROOT/Benchmarks/ServiceLoad/.build/release/service-load}
L="$WORK/kill.sqlite"
rm -f "$L" "$L-wal" "$L-shm" "$WORK/acked.txt" "$WORK/kill.summary"
cp "$WORK/prepared.sqlite" "$L"
echo "kill campaign: seed $KILL_SEED, $KILLS kills, $(cat "$WORK/shape")" >&2

SERVER=
start_server() {
    : > "$WORK/serve.log"
    "$BIN" serve --ledger "$L" --port "$PORT" 2>> "$WORK/serve.log" &
    SERVER=$!
    for _ in $(seq 200); do grep -q "listening on" "$WORK/serve.log" && return; sleep 0.05; done
    echo "service-kill-campaign.sh: serve did not restart" >&2; cat "$WORK/serve.log" >&2; exit 1
}
start_server
"$CLIENT" --url "http://127.0.0.1:$PORT" --data "$WORK/data" --deadline "$DEADLINE" --retry --acked "$WORK/acked.txt" \
    --summary "$WORK/kill.summary" > "$WORK/client.out" 2> "$WORK/client.err" &
CLIENT_PID=$!
trap 'kill $SERVER $CLIENT_PID 2>/dev/null || true' EXIT
kills=0
while (( kills < KILLS )) && kill -0 $CLIENT_PID 2>/dev/null; do
    gap=$(( GAP_MIN_MS + RANDOM % (GAP_MAX_MS - GAP_MIN_MS + 1) ))
    sleep "$(awk -v ms=$gap 'BEGIN { printf "%.3f", ms / 1000 }')"
    kill -0 $CLIENT_PID 2>/dev/null || break
    kill -9 $SERVER; wait $SERVER 2>/dev/null || true
    kills=$(( kills + 1 ))
    echo "kill $kills after $gap ms ($(grep -c '/v1/batches' "$WORK/serve.log" || true) requests logged by that server)" >&2
    start_server
done
client_status=0
wait $CLIENT_PID || client_status=$?
kill -TERM $SERVER; wait $SERVER 2>/dev/null || true
trap - EXIT

# --- checks --------------------------------------------------------------------------------------------------------
python3 - "$WORK" "$L" <<'EOF' | tee "$WORK/result.txt"
import glob, os, sqlite3, sys
work, ledger = sys.argv[1], sys.argv[2]
db = sqlite3.connect(f"file:{ledger}?mode=ro", uri=True)
present = {row[0] for row in db.execute("SELECT id FROM events")}
acked = {line.split()[0] for line in open(os.path.join(work, "acked.txt")) if line.strip()}
batches = {}
for path in glob.glob(os.path.join(work, "data", "batches", "*", "*.jsonl")):
    key = os.path.basename(os.path.dirname(path)) + "-" + os.path.basename(path)[:-len(".jsonl")]
    import json
    batches[key] = [json.loads(line)["id"] for line in open(path, encoding="utf-8")]
whole = [key for key, ids in batches.items() if all(i in present for i in ids)]
half = [key for key, ids in batches.items() if any(i in present for i in ids) and not all(i in present for i in ids)]
lost = [key for key in acked if key not in whole]
size = {len(ids) for ids in batches.values()}
added = db.execute("SELECT count(*) FROM events WHERE kind NOT LIKE 'access.%' AND kind <> 'worker.registered'").fetchone()[0]
print(f"batches: {len(batches)}; answered 201: {len(acked)}; found whole in the ledger: {len(whole)}")
print(f"acknowledged but missing (must be 0): {len(lost)} {lost[:5]}")
print(f"half recorded (must be 0): {len(half)} {half[:5]}")
print(f"events added: {added}; whole batches x size: {len(whole) * max(size)} (must be equal: nothing recorded twice)")
sys.exit(1 if lost or half or added != len(whole) * max(size) else 0)
EOF
checks=${PIPESTATUS[0]}
verify=0
"$BIN" verify --ledger "$L" --quiet > "$WORK/verify.out" 2>&1 || verify=$?
{
    echo "seed: $KILL_SEED; kills: $kills; client exit: $client_status"
    grep -E "batches_(acknowledged|failed|retried|found_already_recorded|replayed|not_sent)|wall_seconds" "$WORK/kill.summary" | tr '\n' ' '; echo
    echo "verify (exit $verify): $(head -1 "$WORK/verify.out")"
} | tee -a "$WORK/result.txt"
(( checks == 0 && verify == 0 && client_status == 0 && kills == KILLS )) || { echo "service-kill-campaign.sh: FAILED" >&2; exit 1; }
echo "service-kill-campaign.sh: passed" >&2
