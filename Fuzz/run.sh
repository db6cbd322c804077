#!/usr/bin/env bash
# Runs every fuzz target for SECONDS (default 600) one after another, niced so the machine stays usable, with the
# limits RELIABILITY.md states: a run slower than 5 s is a hang, more than 512 MB is a memory blow-up (leak detection
# is off: Swift's lazily initialised globals look like leaks at exit; real growth shows in the RSS limit). New inputs go
# to Fuzz/.build/corpus/NAME (the committed seeds in Fuzz/corpus/NAME stay as they are); crashes to
# Fuzz/.build/artifacts/NAME/; logs to Fuzz/.build/logs/NAME.log. Prints each target's executions and coverage.
#
#   Fuzz/build.sh && Fuzz/run.sh 600            # the 10-minute campaign RELIABILITY.md quotes
#   Fuzz/run.sh 60 csv jsonl                    # a quick look at two targets
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}; shift || true
targets=("${@:-csv jsonl expression pack payout}")
targets=(${targets[@]})
out=Fuzz/.build
# LeakSanitizer off (see above); Swift's own backtracer off, so that a crash shows libFuzzer's report, not a second
# crash inside the backtracer under ASan.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0} SWIFT_BACKTRACE=${SWIFT_BACKTRACE:-enable=no}
for t in "${targets[@]}"; do
  mkdir -p "$out/corpus/$t" "$out/artifacts/$t" "$out/logs"
  dict=()
  case $t in expression) dict=(-dict=Fuzz/expression.dict) ;; jsonl) dict=(-dict=Fuzz/json.dict) ;; esac
  echo "fuzzing $t for $seconds s"
  nice -n 10 "$out/fuzz-$t" "$out/corpus/$t" "Fuzz/corpus/$t" "${dict[@]}" -max_total_time="$seconds" -timeout=5 \
    -rss_limit_mb=512 -detect_leaks=0 -print_final_stats=1 -artifact_prefix="$out/artifacts/$t/" > "$out/logs/$t.log" 2>&1
  status=$?
  runs=$(grep -o 'Done [0-9]* runs' "$out/logs/$t.log" | tail -1)
  cov=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$out/logs/$t.log" | tail -1)
  crashes=$(ls "$out/artifacts/$t" | wc -l)
  echo "$t: exit $status, ${runs:-no final stats}, ${cov:-no coverage line}, $crashes artifact(s)" | tee -a "$out/logs/summary.txt"
done
