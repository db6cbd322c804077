#!/usr/bin/env bash
# Whole-process comparison of skills-ledger with the tools people would otherwise use, in one run on one machine.
#
#   Benchmarks/compare.sh                       # SIZES="10000 100000 1000000" workers
#   SIZES="10000" Benchmarks/compare.sh         # a quick run
#
# For each size it generates a province (about five events per worker; kept under $WORK and reused while the
# generator's output for that size and seed is there), then times, each as a whole process under /usr/bin/time -v:
#   submit      all five files of the province into a fresh ledger  vs  sqlite3 .import of the same rows as CSV
#   verify      the whole chain
#   entitlements --jurisdiction national for one month             vs  OpenFisca, the skill-upgrade rule over N persons
#   entitlements_month, grant_month  a month's grant as a bureau runs it every month: on a copy of the ledger whose
#               earlier months were granted (untimed), the month's entitlements and then its grant (issue 15)
#   grant       the ledger's first grant: every month still due, a year's backlog (it makes the grants the payout
#               file pays)
#   reconcile   the month's payout file (≈ one payment per grant)  vs  hledger balance over the same payments
#   entitlements_after  entitlements of the month again, now that its grants and payments are recorded
#   grant_next  the next month's grant after 1% of the workers were touched in it (Benchmarks/touch-one-percent.sh)
#   worker      one person's page (职工档案) on that ledger: a worker with a grant and payments of the month
# and prints the ratios, the peak memory of each and the cost per event, in wall-clock time and in CPU time (user +
# system: steadier than wall time on a shared 2-core machine). Needs: hledger, sqlite3, time (Debian) and
# openfisca-core, openfisca-country-template (PyPI). Environment: SIZES, SEED, WORK, MONTH, HLEDGER_MAX (payments
# above which hledger runs on the first HLEDGER_MAX only), SKIP_BUILD=1 and BIN (a binary built before),
# TABLE_ONLY=1 (print the tables again from the measurements under $WORK, without measuring).
#
# PostgreSQL beside SQLite: with POSTGRES=postgres://USER@HOST:PORT (a server, no database) the same steps run again
# into a fresh database bench_N there (submit, verify, entitlements, grant, reconcile of the same payout file), and a
# table compares both backends: the CLI's wall and CPU time, the server's CPU time during the step (every postgres
# process of the cluster, exited backends included through the postmaster's children times: PGDATA_DIR names the
# cluster's data directory) and the peak memory of both processes (the CLI; the largest postgres process, sampled
# every 0.1 s).
#
#   POSTGRES=postgres://skills@localhost:55432 PGDATA_DIR=/tmp/pg-wt SIZES="100000 1000000" Benchmarks/compare.sh
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SIZES=${SIZES:-"10000 100000 1000000"}
SEED=${SEED:-42}
WORK=${WORK:-$ROOT/.bench}
MONTH=${MONTH:-2026-06}
HLEDGER_MAX=${HLEDGER_MAX:-1000000}
SCRATCH=${SCRATCH:-.build-bench}
BIN=${BIN:-"$ROOT/$SCRATCH/release/skills-ledger"}
NICE="nice -n 5"
mkdir -p "$WORK"

for tool in hledger sqlite3 /usr/bin/time python3; do
    command -v "$tool" >/dev/null || { echo "compare.sh: $tool is missing (apt-get install -y hledger sqlite3 time)" >&2; exit 2; }
done
python3 -c "import openfisca_core, openfisca_country_template" 2>/dev/null \
    || { echo "compare.sh: pip install openfisca-core openfisca-country-template" >&2; exit 2; }

if [[ "${SKIP_BUILD:-}" != 1 && "${TABLE_ONLY:-}" != 1 ]]; then
    echo "building release ($SCRATCH)…" >&2
    (cd "$ROOT" && $NICE swift build -c release --scratch-path "$SCRATCH" >&2)
fi

# run NAME DIR COMMAND…: runs the command under /usr/bin/time -v into DIR/NAME.time (and .out, .err).
run() {
    local name=$1 dir=$2; shift 2
    local status=0
    $NICE /usr/bin/time -v -o "$dir/$name.time" "$@" >"$dir/$name.out" 2>"$dir/$name.err" || status=$?
    # reconcile exits 1 when it finds discrepancies (the payout file has them on purpose).
    if [[ $status -ne 0 && !( $name == reconcile && $status -eq 1 ) ]]; then
        echo "compare.sh: $name failed with exit code $status; see $dir/$name.err" >&2
        tail -5 "$dir/$name.err" >&2
        exit 1
    fi
    echo "  $name: $(wall "$dir/$name.time") s wall, $(cpu "$dir/$name.time") s CPU, $(megabytes "$dir/$name.time") MB" >&2
}

wall() { awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); print (n == 3 ? t[1] * 3600 + t[2] * 60 + t[3] : t[1] * 60 + t[2]) }' "$1"; }
cpu() { awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 } END { printf "%.2f", u + s }' "$1"; }
megabytes() { awk -F': ' '/Maximum resident set size/ { printf "%d", $2 / 1024 }' "$1"; }
ratio() { [[ $1 == — || $2 == — ]] && { echo —; return; }; awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
per() { [[ $1 == — ]] && { echo —; return; }; awk -v s="$1" -v n="$2" 'BEGIN { if (n > 0) printf "%.1f", s * 1e6 / n; else print "n/a" }'; }

measure() {
    local N=$1 DIR="$WORK/$1" PROVINCE="$WORK/$1/province"
    mkdir -p "$DIR"
    echo "== $N workers ($DIR)" >&2
    if ! grep -q "\"seed\":$SEED," "$PROVINCE/summary.json" 2>/dev/null || [[ ! -f "$PROVINCE/all-events.csv" ]]; then
        $NICE "$BIN" generate --workers "$N" --seed "$SEED" --out "$PROVINCE" --flat-table --quiet >&2
    fi
    local LEDGER="$DIR/ledger.sqlite"
    rm -f "$LEDGER" "$LEDGER-wal" "$LEDGER-shm" "$DIR/plain.sqlite" "$DIR/payments-head.journal"
    local FILES=()
    for f in workers.csv training.csv certificates.csv events.jsonl corrections.jsonl; do FILES+=("$PROVINCE/$f"); done

    run submit "$DIR" "$BIN" submit --ledger "$LEDGER" --quiet "${FILES[@]}"
    run sqlite "$DIR" sqlite3 "$DIR/plain.sqlite" \
        "CREATE TABLE events (id TEXT, kind TEXT, occurred_on TEXT, source TEXT, worker TEXT, employer TEXT, data TEXT)" \
        ".import --csv --skip 1 $PROVINCE/all-events.csv events"
    run verify "$DIR" "$BIN" verify --ledger "$LEDGER" --quiet
    "$BIN" policy adopt --ledger "$LEDGER" --quiet "$ROOT"/Samples/policies/*.yaml >/dev/null
    run entitlements "$DIR" "$BIN" entitlements --ledger "$LEDGER" --jurisdiction national --month "$MONTH" --format json --quiet
    run openfisca "$DIR" python3 "$ROOT/Benchmarks/peers/openfisca_skill_upgrade.py" "$N" --seed "$SEED"
    # A month's grant as a bureau runs it every month (issue 15). The ledger's first grant, below, grants every month
    # still due (a year's backlog: about twelve times the month's entitlements); here, on a copy whose months before
    # were granted (untimed), the month's entitlements and then the month's grant, on the same ledger.
    local PREV MONTHLY="$DIR/monthly.sqlite"
    PREV=$(date -u -d "$MONTH-01 -1 month" +%Y-%m)
    rm -f "$MONTHLY" "$MONTHLY-wal" "$MONTHLY-shm"
    cp "$LEDGER" "$MONTHLY"
    "$BIN" grant --ledger "$MONTHLY" --jurisdiction national --month "$PREV" --quiet >/dev/null
    sync
    run entitlements_month "$DIR" "$BIN" entitlements --ledger "$MONTHLY" --jurisdiction national --month "$MONTH" --format json --quiet
    run grant_month "$DIR" "$BIN" grant --ledger "$MONTHLY" --jurisdiction national --month "$MONTH" --format json --quiet
    rm -f "$MONTHLY" "$MONTHLY-wal" "$MONTHLY-shm"
    run grant "$DIR" "$BIN" grant --ledger "$LEDGER" --jurisdiction national --month "$MONTH" --format json --quiet
    "$BIN" generate --from-ledger --ledger "$LEDGER" --month "$MONTH" --seed "$SEED" --out "$DIR" --quiet >/dev/null
    run reconcile "$DIR" "$BIN" reconcile --ledger "$LEDGER" --jurisdiction national --month "$MONTH" \
        --payments "$DIR/payments-$MONTH.csv" --format json --quiet
    local PAYMENTS=$(($(wc -l <"$DIR/payments-$MONTH.csv") - 1)) JOURNAL="$DIR/payments-$MONTH.journal"
    if (( PAYMENTS > HLEDGER_MAX )); then
        head -n $((4 * HLEDGER_MAX)) "$JOURNAL" >"$DIR/payments-head.journal"
        JOURNAL="$DIR/payments-head.journal"
    fi
    run hledger "$DIR" hledger -f "$JOURNAL" balance
    check_classes "$DIR"
    # The month after (issue 15): entitlements again on the ledger that now holds the month's grants and payments,
    # then 1% of the workers touched in the next month and that month's grant (only the changed workers computed).
    local NEXT
    NEXT=$(date -u -d "$MONTH-01 +1 month" +%Y-%m)
    run entitlements_after "$DIR" "$BIN" entitlements --ledger "$LEDGER" --jurisdiction national --month "$MONTH" --format json --quiet
    "$ROOT/Benchmarks/touch-one-percent.sh" "$PROVINCE" "$NEXT" "$DIR/touch-$NEXT.jsonl"
    "$BIN" submit --ledger "$LEDGER" --quiet "$DIR/touch-$NEXT.jsonl" >/dev/null
    run grant_next "$DIR" "$BIN" grant --ledger "$LEDGER" --jurisdiction national --month "$NEXT" --format json --quiet
    # A person's page, as a clerk opens it: their events, their grants and payments, their entitlements with what was
    # granted of each. The person is the payee of a payment of the month, found with sqlite3 (untimed).
    local PERSON
    PERSON=$(sqlite3 "$LEDGER" "SELECT citizen_id FROM persons WHERE pseudonym = (SELECT json_extract(data, '\$.payee') FROM events
        WHERE kind = 'subsidy.paid' AND json_extract(data, '\$.payee') LIKE 'ps_%' ORDER BY seq LIMIT 1 OFFSET $((N / 20)))")
    run worker "$DIR" "$BIN" worker --ledger "$LEDGER" --format json "$PERSON"
    [[ -n "${POSTGRES:-}" ]] && measure_postgres "$N"
    return 0
}

# The server's CPU seconds so far: every process of the cluster, plus the exited children the postmaster reaped.
server_cpu() {
    local postmaster
    postmaster=$(head -1 "$PGDATA_DIR/postmaster.pid")
    python3 - "$postmaster" <<'PY'
import os, sys
tick = os.sysconf("SC_CLK_TCK")
root = sys.argv[1]
total = 0
for pid in os.listdir("/proc"):
    if not pid.isdigit(): continue
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    except OSError:
        continue
    ppid = fields[1]
    if pid == root: total += sum(int(x) for x in fields[11:15])   # utime stime cutime cstime
    elif ppid == root: total += int(fields[11]) + int(fields[12])
print(f"{total / tick:.2f}")
PY
}

# Samples the largest postgres process's resident set every 0.1 s into FILE (MB) until killed.
sample_server_memory() {
    local file=$1 peak=0 now
    while :; do
        now=$(ps -C postgres -o rss= 2>/dev/null | sort -n | tail -1)
        now=$(( ${now:-0} / 1024 ))
        (( now > peak )) && { peak=$now; echo "$peak" > "$file"; }
        sleep 0.1
    done
}

# run_postgres NAME DIR COMMAND…: `run` with the server's CPU time and peak memory beside the CLI's.
run_postgres() {
    local name=$1 dir=$2 before after sampler
    before=$(server_cpu)
    echo 0 > "$dir/$name.server-mb"
    sample_server_memory "$dir/$name.server-mb" &
    sampler=$!
    run "$@"
    kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null || true
    after=$(server_cpu)
    awk -v a="$after" -v b="$before" 'BEGIN { printf "%.2f\n", a - b }' > "$dir/$name.server-cpu"
    echo "    server: $(cat "$dir/$name.server-cpu") s CPU, largest process $(cat "$dir/$name.server-mb") MB" >&2
}

measure_postgres() {
    local N=$1 DIR="$WORK/$1/postgres" PROVINCE="$WORK/$1/province" DB="bench_$1"
    local LEDGER="${POSTGRES%/}/$DB"
    mkdir -p "$DIR"
    echo "== $N workers on PostgreSQL ($LEDGER)" >&2
    psql "${POSTGRES%/}/postgres" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB" >/dev/null
    local FILES=()
    for f in workers.csv training.csv certificates.csv events.jsonl corrections.jsonl; do FILES+=("$PROVINCE/$f"); done
    run_postgres submit "$DIR" "$BIN" submit --ledger "$LEDGER" --quiet "${FILES[@]}"
    run_postgres verify "$DIR" "$BIN" verify --ledger "$LEDGER" --quiet
    "$BIN" policy adopt --ledger "$LEDGER" --quiet "$ROOT"/Samples/policies/*.yaml >/dev/null
    run_postgres entitlements "$DIR" "$BIN" entitlements --ledger "$LEDGER" --jurisdiction national --month "$MONTH" --format json --quiet
    run_postgres grant "$DIR" "$BIN" grant --ledger "$LEDGER" --jurisdiction national --month "$MONTH" --format json --quiet
    # The payout file is made from this ledger as from the SQLite one (untimed): the same planted mix, this ledger's
    # grant ids and payees.
    "$BIN" generate --from-ledger --ledger "$LEDGER" --month "$MONTH" --seed "$SEED" --out "$DIR" --quiet >/dev/null
    run_postgres reconcile "$DIR" "$BIN" reconcile --ledger "$LEDGER" --jurisdiction national --month "$MONTH" \
        --payments "$DIR/payments-$MONTH.csv" --format json --quiet
    check_classes "$DIR"
}

# The reconciliation must find exactly the classes the payout generator planted.
check_classes() {
    python3 - "$1/reconcile.out" "$1/payments-$MONTH.mix.json" >&2 <<'PY'
import json, sys
report, mix = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
found = {name: value["count"] for name, value in report["classes"].items() if value["count"]}
expected = {name: count for name, count in mix["expected_classes"].items() if count}
print("  reconcile classes " + ("match the planted mix" if found == expected else f"DIFFER: found {found}, planted {expected}"))
PY
}

# One row of each table for a size, from the .time files under $WORK/N (a step not measured shows as —). CLOCK is
# wall or cpu.
rows() {
    local N=$1 CLOCK=$2 DIR="$WORK/$1"
    [[ -f "$DIR/submit.time" ]] || return 0
    local EVENTS PAYMENTS=— HLEDGER_PAYMENTS
    EVENTS=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['events'])" "$DIR/province/summary.json")
    [[ -f "$DIR/payments-$MONTH.csv" ]] && PAYMENTS=$(($(wc -l <"$DIR/payments-$MONTH.csv") - 1))
    HLEDGER_PAYMENTS=$PAYMENTS
    [[ -f "$DIR/payments-head.journal" ]] && HLEDGER_PAYMENTS=$(($(wc -l <"$DIR/payments-head.journal") / 4))
    local t=()
    for step in submit sqlite verify entitlements openfisca grant reconcile hledger; do
        if [[ -s "$DIR/$step.time" ]]; then t+=("$($CLOCK "$DIR/$step.time")"); else t+=("—"); fi
    done
    local hledger_scaled note=""
    hledger_scaled=—
    [[ ${t[7]} != — ]] && hledger_scaled=$(awk -v s="${t[7]}" -v a="$PAYMENTS" -v b="$HLEDGER_PAYMENTS" 'BEGIN { printf "%.2f", s * a / b }')
    [[ $PAYMENTS != — ]] && (( HLEDGER_PAYMENTS < PAYMENTS )) && note=" (on $HLEDGER_PAYMENTS; ×$PAYMENTS/$HLEDGER_PAYMENTS)"
    case $3 in
    time) echo "| $N | $EVENTS | ${t[0]} | ${t[1]} | $(ratio "${t[0]}" "${t[1]}") | ${t[2]} | $(ratio "${t[2]}" "${t[0]}") | ${t[3]} | ${t[4]} | $(ratio "${t[3]}" "${t[4]}") | $PAYMENTS | ${t[6]} | ${t[7]}$note | $(ratio "${t[6]}" "$hledger_scaled") | ${t[5]} |" ;;
    cost) echo "| $N | $(per "${t[0]}" "$EVENTS") | $(per "${t[2]}" "$EVENTS") | $(per "${t[3]}" "$N") | $(per "${t[5]}" "$N") | $(per "${t[6]}" "$PAYMENTS") | $(per "${t[1]}" "$EVENTS") | $(per "${t[4]}" "$N") |" ;;
    memory)
        local m=()
        for step in submit sqlite verify entitlements openfisca grant reconcile hledger; do
            if [[ -s "$DIR/$step.time" ]]; then m+=("$(megabytes "$DIR/$step.time")"); else m+=("—"); fi
        done
        echo "| $N | ${m[0]} | ${m[1]} | ${m[2]} | ${m[3]} | ${m[4]} | ${m[5]} | ${m[6]} | ${m[7]} |" ;;
    esac
}

# The month end's targets (issue 15) for a size: entitlements against OpenFisca, the first grant against entitlements
# (the month's own grant is in monthly_rows), and the next month's grant (1% touched) against the first.
monthend_rows() {
    local N=$1 CLOCK=$2 DIR="$WORK/$1" step t=() m=()
    [[ -s "$DIR/grant.time" ]] || return 0
    for step in entitlements openfisca grant entitlements_after grant_next worker; do
        if [[ -s "$DIR/$step.time" ]]; then t+=("$($CLOCK "$DIR/$step.time")"); m+=("$(megabytes "$DIR/$step.time")"); else t+=("—"); m+=("—"); fi
    done
    echo "| $N | ${t[0]} | ${t[1]} | $(ratio "${t[0]}" "${t[1]}") | ${t[2]} | $(ratio "${t[2]}" "${t[0]}") | ${t[3]} | ${t[4]} | $(ratio "${t[4]}" "${t[2]}") | ${t[5]} | ${m[0]} / ${m[2]} / ${m[3]} / ${m[4]} / ${m[5]} |"
}

# A month's grant against the month's entitlements on the same ledger (the months before granted), and the first
# grant's backlog beside it: how many grants each made and how many workers each computed.
monthly_rows() {
    local N=$1 CLOCK=$2 DIR="$WORK/$1"
    [[ -s "$DIR/grant_month.time" && -s "$DIR/entitlements_month.time" ]] || return 0
    local e g
    e=$($CLOCK "$DIR/entitlements_month.time"); g=$($CLOCK "$DIR/grant_month.time")
    echo "| $N | $e | $g | $(ratio "$g" "$e") | $(count "$DIR/grant_month.out" granted) | $(count "$DIR/grant_month.out" computed_workers) | $(count "$DIR/grant.out" granted) | $(count "$DIR/grant.out" computed_workers) | $(megabytes "$DIR/entitlements_month.time") / $(megabytes "$DIR/grant_month.time") |"
}
# count FILE KEY: a count at the top of a grant's JSON report ("granted", "computed_workers").
count() { sed -n "s/^  \"$2\": \([0-9]*\),\$/\1/p" "$1" | head -n 1; }

postgres_rows() {
    local N=$1 DIR="$WORK/$1" step
    for step in submit verify entitlements grant reconcile; do
        [[ -s "$DIR/postgres/$step.time" && -s "$DIR/$step.time" ]] || continue
        local sw pw
        sw=$(wall "$DIR/$step.time"); pw=$(wall "$DIR/postgres/$step.time")
        echo "| $N | $step | $sw | $pw | $(ratio "$pw" "$sw") | $(cpu "$DIR/$step.time") | $(cpu "$DIR/postgres/$step.time") | $(cat "$DIR/postgres/$step.server-cpu") | $(megabytes "$DIR/$step.time") | $(megabytes "$DIR/postgres/$step.time") | $(cat "$DIR/postgres/$step.server-mb") |"
    done
}

# clock_tables TITLE ROWS HEADER ALIGNMENT: the table in wall time, then in CPU time; `ROWS N CLOCK` prints a size's row.
clock_tables() {
    local title=$1 rows_of=$2 header=$3 alignment=$4 CLOCK N
    for CLOCK in wall cpu; do
        echo "### $title, seconds ($CLOCK)"
        echo
        echo "$header"
        echo "$alignment"
        for N in $SIZES; do "$rows_of" "$N" "$CLOCK"; done
        echo
    done
}

tables() {
    local CLOCK
    for CLOCK in wall cpu; do
        echo "### Time in seconds ($CLOCK), whole process, and ratios"
        echo
        echo "| workers | events | submit | sqlite3 .import | submit ÷ sqlite3 (≤ 2) | verify | verify ÷ submit (≤ 0.5) | entitlements | OpenFisca | entitlements ÷ OpenFisca (≤ 1) | payments | reconcile | hledger balance | reconcile ÷ hledger (≤ 0.05) | grant |"
        echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
        for N in $SIZES; do rows "$N" "$CLOCK" time; done
        echo
    done
    echo "### Peak memory (MB, maximum resident set; target < 256 at 1,000,000 workers)"
    echo
    echo "| workers | submit | sqlite3 | verify | entitlements | OpenFisca | grant | reconcile | hledger |"
    echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    for N in $SIZES; do rows "$N" cpu memory; done
    echo
    clock_tables "Month end (issue 15)" monthend_rows \
        "| workers | entitlements | OpenFisca | entitlements ÷ OpenFisca (≤ 1) | first grant (a year's backlog) | first grant ÷ entitlements | entitlements after the grants and payments | grant of the next month, 1% touched | next grant ÷ first grant (≤ 0.1) | a person's page (worker) | peak MB: entitlements / grant / after / next grant / worker |" \
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
    clock_tables "A month's grant, the months before it granted (issue 15)" monthly_rows \
        "| workers | entitlements of the month | grant of the month | grant ÷ entitlements (≤ 3) | grants made | workers computed | the first grant's grants made (a year's backlog) | its workers computed | peak MB: entitlements / grant |" \
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
    echo "### Cost in CPU µs (target: flat within 1.5× from 10,000 to 1,000,000 workers)"
    echo
    echo "| workers | submit per event | verify per event | entitlements per worker | grant per worker | reconcile per payment | sqlite3 .import per event | OpenFisca per person |"
    echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    for N in $SIZES; do rows "$N" cpu cost; done
    echo
    if [[ -n "${POSTGRES:-}" ]]; then
        echo "### PostgreSQL beside SQLite (seconds; MB)"
        echo
        echo "| workers | step | SQLite wall | PostgreSQL wall | PG ÷ SQLite (wall) | SQLite CPU | PostgreSQL: CLI CPU | PostgreSQL: server CPU | CLI peak MB, SQLite | CLI peak MB, PostgreSQL | largest postgres process MB |"
        echo "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
        for N in $SIZES; do postgres_rows "$N"; done
        echo
    fi
    echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(date -u +%Y-%m-%d); seed $SEED, month $MONTH."
}

if [[ "${TABLE_ONLY:-}" != 1 ]]; then
    for N in $SIZES; do measure "$N"; done
fi
tables | tee "$WORK/results.md"
