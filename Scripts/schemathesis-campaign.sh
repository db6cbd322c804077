#!/usr/bin/env bash
# The service against its own OpenAPI document: schemathesis (PyPI) with a valid token of each role, every check,
# for SECONDS per role (600 unless told), the five roles side by side against one `serve` on a loopback port.
# Findings become tests in Tests/SkillsLedgerServiceTests/SchemathesisFindingsTests.swift; figures go to RELIABILITY.md.
#
#   Scripts/schemathesis-campaign.sh [SECONDS] [OUT_DIR]
#   IN_SCOPE=1 Scripts/schemathesis-campaign.sh …   every `jurisdiction` is the tokens' own (420300), so that the
#                                                  requests get past the scope check into the use cases
#
# Needs: python3 with pip (installs schemathesis when missing); builds the release binary when there is none.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
out=${2:-/tmp/skills-ledger-schemathesis}
rm -rf "$out"; mkdir -p "$out"
command -v schemathesis >/dev/null || pip install --quiet schemathesis
bin=${SKILLS_LEDGER_BIN:-.build/release/skills-ledger}   # SKILLS_LEDGER_BIN=.build/debug/skills-ledger for a debug build
[ -x "$bin" ] || { swift build -c release --product skills-ledger >/dev/null; }
ledger="$out/ledger.sqlite"
"$bin" demo --ledger "$ledger" > "$out/demo.txt"
# One token per role, each scoped as the demo's month (420300); the institution is a demo institution.
"$bin" token create --ledger "$ledger" --quiet --role institution --name st-institution --source 52420302MJ0K5T8H4N > "$out/institution.token"
"$bin" token create --ledger "$ledger" --quiet --role bureau --name st-bureau --jurisdiction 420300 > "$out/bureau.token"
"$bin" token create --ledger "$ledger" --quiet --role finance --name st-finance --jurisdiction 420300 > "$out/finance.token"
"$bin" token create --ledger "$ledger" --quiet --role auditor --name st-auditor > "$out/auditor.token"
"$bin" token create --ledger "$ledger" --quiet --role admin --name st-admin > "$out/admin.token"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$bin" serve --ledger "$ledger" --port "$port" 2> "$out/serve.log" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
config=Scripts/schemathesis.toml
if [ -n "${IN_SCOPE:-}" ]; then
    config="$out/schemathesis.toml"
    { cat Scripts/schemathesis.toml; printf '\n[parameters]\n"jurisdiction" = "420300"\n'; } > "$config"
fi
pids=()
for role in institution bureau finance auditor admin; do
    schemathesis --config-file "$config" run "http://127.0.0.1:$port/openapi.yaml" \
        -H "Authorization: Bearer $(cat "$out/$role.token")" --max-time "$seconds" --workers 1 \
        --report junit --report-dir "$out/$role-report" > "$out/$role.txt" 2>&1 &
    pids+=($!)
done
status=0
for pid in "${pids[@]}"; do wait "$pid" || status=1; done
kill $server; wait $server 2>/dev/null || true
"$bin" verify --ledger "$ledger" > "$out/verify.txt" 2>&1 || status=1
server_errors=$(grep -c 'status=5[0-9][0-9]' "$out/serve.log" || true)
for role in institution bureau finance auditor admin; do
    printf '%-12s %s\n' "$role" "$(grep -E '^Test cases:' -A1 "$out/$role.txt" | tail -1 | sed 's/^ *//')"
    grep -E '^  (❌|🚫)' "$out/$role.txt" | sed 's/^/             /' || true
done
echo "requests answered 5xx (server log): $server_errors; verify: $(cat "$out/verify.txt")"
echo "full output: $out/ROLE.txt"
exit $status
