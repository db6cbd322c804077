#!/usr/bin/env bash
# The reliability campaigns at full size (RELIABILITY.md): ≥ 60 SIGKILLs each of submit, grant and reconcile,
# concurrent writers and readers over 10 rounds, 3,000 SQL-level and 2,000 byte-level tamperings, backups under load.
# CI runs the same tests small (`swift test`); this runs them against the release binary, one suite at a time so
# that the kill moments are measured on a quiet machine. Takes about an hour on two cores.
#
#   Scripts/reliability-campaign.sh                     # fresh seed, printed on every line of the log
#   RELIABILITY_SEED=0x5eed Scripts/reliability-campaign.sh   # replay a campaign
#   SCRATCH=.build-rel Scripts/reliability-campaign.sh  # the scratch path to build in (default .build-rel)
# Sizes can be changed one by one: RELIABILITY_CRASH_KILLS, RELIABILITY_CRASH_EVENTS, RELIABILITY_TAMPER_SQL, …
# (see Tests/ReliabilityTests/Support/Campaign.swift). The log goes to out/ (RELIABILITY_LOG to choose).
set -euo pipefail
cd "$(dirname "$0")/.."
scratch=${SCRATCH:-.build-rel}
swift build -c release --scratch-path "$scratch" --product skills-ledger
swift build --scratch-path "$scratch" --build-tests
bin="$(swift build -c release --scratch-path "$scratch" --show-bin-path)/skills-ledger"
export RELIABILITY_FULL=1 SKILLS_LEDGER_BIN="$bin"
export RELIABILITY_SEED=${RELIABILITY_SEED:-0x$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')}
mkdir -p out
export RELIABILITY_LOG=${RELIABILITY_LOG:-$PWD/out/reliability-$(date +%Y%m%d-%H%M%S).log}
echo "seed $RELIABILITY_SEED, binary $bin, log $RELIABILITY_LOG"
status=0
for suite in CrashTests ConcurrencyTests TamperTests BackupTests MemoryTests; do
  echo "== $suite"
  start=$(date +%s)
  if ! swift test --scratch-path "$scratch" --skip-build --filter "ReliabilityTests.$suite" > "$RELIABILITY_LOG.$suite.out" 2>&1; then
    status=1
    grep -E "✘|recorded an issue" "$RELIABILITY_LOG.$suite.out" | head -20
  fi
  echo "   $(grep -E 'Test run with' "$RELIABILITY_LOG.$suite.out" | tail -1) ($(( $(date +%s) - start )) s)"
done
echo "== summary"
grep -E "crash [a-z]+: |concurrency: |tamper |backup: " "$RELIABILITY_LOG" || true
exit $status
