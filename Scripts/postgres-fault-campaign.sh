#!/usr/bin/env bash
# Faults on the PostgreSQL backend (issue 14, item 6): the service load of Benchmarks/service-load.sh, split between
# TWO `skills-ledger serve` instances writing to ONE PostgreSQL database at once (half the institutions each), while
# one kind of fault strikes at random moments:
#
#   kill-writers   kill -9 of one of the two service instances (alternating), restarted at once;
#   kill-server    PostgreSQL itself stopped with `pg_ctl -m immediate` (no checkpoint, as a crash) and started again;
#   drop           every connection of the service instances cut by pg_terminate_backend (a batch mid-transaction,
#                  or a COMMIT whose answer never reaches the service).
#
# The clients retry a refused or broken request, or a 5xx, with the same body and Idempotency-Key. At the end:
#   - every batch answered 201 is in the ledger, whole; no batch is half recorded;
#   - nothing was recorded twice (events added = whole batches x batch size);
#   - `skills-ledger verify` passes (the chain has no fork and no gap).
#
#   Scripts/postgres-fault-campaign.sh kill-server            # FAULTS=10, 200,000 events
#   FAULT_SEED=7 FAULTS=5 Scripts/postgres-fault-campaign.sh drop --events 20000
# Environment: PGDATA_DIR and PG_BIN (the cluster to stop and start for kill-server; pg_ctl runs as the postgres user
# when this runs as root), SERVER_URL (postgres://skills@localhost:55440, no database), FAULT_SEED (random, printed),
# FAULTS (10), GAP_MIN_MS/GAP_MAX_MS (300–3000), DEADLINE (1200 s), WORK (.bench/pg-faults), PORT (18091, and +1),
# SKIP_BUILD=1. Writes $WORK/result-MODE.txt; exit 1 when a check fails.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
MODE=${1:?usage: postgres-fault-campaign.sh kill-writers|kill-server|drop [--events N]}
shift
EVENTS=200000
[[ ${1:-} == --events ]] && EVENTS=$2
case $MODE in kill-writers|kill-server|drop) ;; *) echo "unknown mode $MODE" >&2; exit 2 ;; esac
export WORK=${WORK:-$ROOT/.bench/pg-faults} PORT=${PORT:-18091}
SERVER_URL=${SERVER_URL:-postgres://skills@localhost:55440}
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)}
PGDATA_DIR=${PGDATA_DIR:-/tmp/pg-faults}
FAULTS=${FAULTS:-10} GAP_MIN_MS=${GAP_MIN_MS:-300} GAP_MAX_MS=${GAP_MAX_MS:-3000} DEADLINE=${DEADLINE:-1200}
FAULT_SEED=${FAULT_SEED:-$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')}
RANDOM=$FAULT_SEED
PREPARE_ONLY=1 "$ROOT/Benchmarks/service-load.sh" --events "$EVENTS"
SCRATCH=${SCRATCH:-.build-release}
BIN=${BIN:-$ROOT/$SCRATCH/release/skills-ledger}
CLIENT=${CLIENT:-$ROOT/Benchmarks/ServiceLoad/.build/release/service-load}
DB=pg_faults_${MODE//-/_}
L="$SERVER_URL/$DB"
as_postgres() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
sql() { psql "$SERVER_URL/${2:-$DB}" -v ON_ERROR_STOP=1 -Atqc "$1"; }

# The prepared ledger (registered workers and the institutions' tokens), copied into a fresh database by migrate.
sql "DROP DATABASE IF EXISTS $DB WITH (FORCE)" postgres
sql "CREATE DATABASE $DB" postgres
"$BIN" migrate --from "$WORK/prepared.sqlite" --to "$L" --quiet > "$WORK/migrate-$MODE.out"
PREPARED=$(sql "SELECT count(*) FROM events")

# Half the institutions for each instance.
for half in a b; do rm -rf "$WORK/data-$half"; mkdir -p "$WORK/data-$half/batches"; done
n=0
while IFS=$'\t' read -r code token; do
    half=$([ $((n % 2)) = 0 ] && echo a || echo b); n=$((n + 1))
    printf '%s\t%s\n' "$code" "$token" >> "$WORK/data-$half/tokens.tsv"
    cp -al "$WORK/data/batches/$code" "$WORK/data-$half/batches/$code"   # hard links: the client lists real folders
done < "$WORK/data/tokens.tsv"
echo "postgres fault campaign ($MODE): seed $FAULT_SEED, $FAULTS faults, $(cat "$WORK/shape"), two instances on $L" >&2

declare -A SERVER
start_server() {  # instance a|b
    local port=$((PORT + $([ "$1" = a ] && echo 0 || echo 1)))
    : > "$WORK/serve-$1.log"
    "$BIN" serve --ledger "$L" --port "$port" 2>> "$WORK/serve-$1.log" &
    SERVER[$1]=$!
    for _ in $(seq 200); do grep -q "listening on" "$WORK/serve-$1.log" && return; sleep 0.05; done
    echo "postgres-fault-campaign.sh: serve $1 did not start" >&2; cat "$WORK/serve-$1.log" >&2; exit 1
}
start_server a
start_server b
rm -f "$WORK"/acked-*.txt
for half in a b; do
    port=$((PORT + $([ $half = a ] && echo 0 || echo 1)))
    "$CLIENT" --url "http://127.0.0.1:$port" --data "$WORK/data-$half" --deadline "$DEADLINE" --retry \
        --acked "$WORK/acked-$half.txt" --summary "$WORK/summary-$half" > "$WORK/client-$half.out" 2> "$WORK/client-$half.err" &
    eval "CLIENT_$half=\$!"
done
trap 'kill ${SERVER[a]} ${SERVER[b]} $CLIENT_a $CLIENT_b 2>/dev/null || true' EXIT
running() { kill -0 "$CLIENT_a" 2>/dev/null || kill -0 "$CLIENT_b" 2>/dev/null; }
faults=0
while (( faults < FAULTS )) && running; do
    gap=$(( GAP_MIN_MS + RANDOM % (GAP_MAX_MS - GAP_MIN_MS + 1) ))
    sleep "$(awk -v ms=$gap 'BEGIN { printf "%.3f", ms / 1000 }')"
    running || break
    case $MODE in
    kill-writers)
        victim=$([ $((faults % 2)) = 0 ] && echo a || echo b)
        kill -9 "${SERVER[$victim]}"; wait "${SERVER[$victim]}" 2>/dev/null || true
        start_server "$victim"
        what="kill -9 of instance $victim" ;;
    kill-server)
        # restart = stop, then start with the options it was started with (postmaster.opts: port, socket folder)
        as_postgres "'$PG_BIN/pg_ctl' -D '$PGDATA_DIR' -m immediate -l '$PGDATA_DIR/server.log' -w restart" > /dev/null
        what="pg_ctl -m immediate restart (a crash, then recovery from WAL)" ;;
    drop)
        cut=$(sql "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '$DB' AND pid <> pg_backend_pid()")
        what="pg_terminate_backend of $cut connections" ;;
    esac
    faults=$(( faults + 1 ))
    echo "fault $faults after $gap ms: $what" >&2
done
client_status=0
wait "$CLIENT_a" || client_status=$?
wait "$CLIENT_b" || client_status=$?
kill -TERM "${SERVER[a]}" "${SERVER[b]}"; wait "${SERVER[a]}" "${SERVER[b]}" 2>/dev/null || true
trap - EXIT

# --- checks --------------------------------------------------------------------------------------------------------
sql "SELECT id FROM events" > "$WORK/present-$MODE.txt"
ADDED=$(sql "SELECT count(*) FROM events WHERE kind NOT LIKE 'access.%' AND kind <> 'worker.registered'")
cat "$WORK"/acked-a.txt "$WORK"/acked-b.txt > "$WORK/acked-$MODE.txt"
python3 - "$WORK" "$MODE" "$ADDED" <<'PY' | tee "$WORK/result-$MODE.txt"
import glob, json, os, sys
work, mode, added = sys.argv[1], sys.argv[2], int(sys.argv[3])
present = {line.strip() for line in open(os.path.join(work, f"present-{mode}.txt")) if line.strip()}
acked = {line.split()[0] for line in open(os.path.join(work, f"acked-{mode}.txt")) if line.strip()}
batches = {}
for path in glob.glob(os.path.join(work, "data", "batches", "*", "*.jsonl")):
    key = os.path.basename(os.path.dirname(path)) + "-" + os.path.basename(path)[:-len(".jsonl")]
    batches[key] = [json.loads(line)["id"] for line in open(path, encoding="utf-8")]
whole = [k for k, ids in batches.items() if all(i in present for i in ids)]
half = [k for k, ids in batches.items() if any(i in present for i in ids) and not all(i in present for i in ids)]
lost = [k for k in acked if k not in whole]
size = max(len(ids) for ids in batches.values())
print(f"batches: {len(batches)}; answered 201: {len(acked)}; found whole in the ledger: {len(whole)}")
print(f"acknowledged but missing (must be 0): {len(lost)} {lost[:5]}")
print(f"half recorded (must be 0): {len(half)} {half[:5]}")
print(f"events added: {added}; whole batches x size: {len(whole) * size} (must be equal: nothing recorded twice)")
sys.exit(1 if lost or half or added != len(whole) * size else 0)
PY
checks=${PIPESTATUS[0]}
verify=0
"$BIN" verify --ledger "$L" --quiet > "$WORK/verify-$MODE.out" 2>&1 || verify=$?
{
    echo "mode: $MODE; seed: $FAULT_SEED; faults: $faults; clients' exit: $client_status; events before: $PREPARED"
    for half in a b; do
        echo "instance $half: $(grep -E "batches_(acknowledged|failed|retried|found_already_recorded|replayed|not_sent)|wall_seconds" "$WORK/summary-$half" | tr '\n' ' ')"
    done
    echo "verify (exit $verify): $(head -1 "$WORK/verify-$MODE.out")"
} | tee -a "$WORK/result-$MODE.txt"
(( checks == 0 && verify == 0 && client_status == 0 && faults == FAULTS )) || { echo "postgres-fault-campaign.sh: FAILED" >&2; exit 1; }
echo "postgres-fault-campaign.sh: passed ($MODE)" >&2
