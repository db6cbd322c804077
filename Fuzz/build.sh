#!/usr/bin/env bash
# Builds the libFuzzer targets into Fuzz/.build/: each is the project's own sources (SkillsDomain, Intake, and for
# policy packs and expressions Rules/Pack + Rules/Expression with Yams) compiled with -sanitize=fuzzer,address,
# linked with one entry file from Fuzz/Targets. The packs' SHA-256 comes from a stand-in (Fuzz/Shims/Crypto.swift):
# the digest is not what is fuzzed, and BoringSSL would triple the build.
#
#   Fuzz/build.sh            # all targets: csv jsonl expression pack payout
#   Fuzz/build.sh csv        # one
# Then run one:  Fuzz/.build/fuzz-csv Fuzz/corpus/csv -max_total_time=600 -timeout=5 -rss_limit_mb=512
# or all, one after another in the background:  Fuzz/run.sh 600
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=Fuzz/.build
mkdir -p "$out/modules"
targets=("${@:-csv jsonl expression pack payout}")
targets=(${targets[@]})

swift_flags=(-O -g -parse-as-library -sanitize=fuzzer,address -swift-version 6
             -enable-upcoming-feature ExistentialAny -enable-upcoming-feature MemberImportVisibility
             -I "$out/modules")

# Yams: the checkout SwiftPM made, or the tag Package.resolved pins from the local mirror.
yams=${YAMS_DIR:-}
if [[ -z "$yams" ]]; then
  for candidate in .build*/checkouts/Yams; do [[ -d "$candidate/Sources/CYaml" ]] && yams=$candidate && break; done
fi
if [[ -z "$yams" && -d /opt/swift-packages/jpsim/Yams.git ]]; then
  yams=$out/yams
  rm -rf "$yams" && mkdir -p "$yams"
  git -C /opt/swift-packages/jpsim/Yams.git archive 6.2.2 Sources | tar -x -C "$yams"
fi
[[ -n "$yams" ]] || { echo "no Yams sources: run swift build once, or set YAMS_DIR" >&2; exit 1; }

module() { # name, sources… : one object and one .swiftmodule per module, whole-module; skipped when up to date
  local name=$1; shift
  local object="$out/modules/$name.o" stale=false
  for source in "$@"; do [[ ! -e $object || $source -nt $object || $0 -nt $object ]] && stale=true; done
  $stale || { echo "module $name is up to date"; return 0; }
  echo "building module $name"
  swiftc "${swift_flags[@]}" -wmo -module-name "$name" -emit-module -emit-module-path "$out/modules/$name.swiftmodule" \
    -enable-testing -emit-object -o "$out/modules/$name.o" "$@"
}

module SkillsDomain Sources/SkillsDomain/*.swift
module Intake Sources/Intake/*.swift
needs_rules=false
for t in "${targets[@]}"; do [[ $t == pack || $t == expression ]] && needs_rules=true; done
if $needs_rules; then
  swift_flags+=(-Xcc -DYAML_DECLARE_STATIC -I "$yams/Sources/CYaml/include")
  if [[ ! -e $out/modules/Yams.o ]]; then
  echo "building CYaml"
  for c in "$yams"/Sources/CYaml/src/*.c; do
    clang -O1 -g -fsanitize=address,fuzzer-no-link -DYAML_DECLARE_STATIC -I "$yams/Sources/CYaml/include" \
      -c "$c" -o "$out/modules/cyaml-$(basename "$c" .c).o"
  done
  # Yams is someone else's Swift 5 code: its own language mode, no upcoming features.
  echo "building module Yams"
  swiftc -O -g -parse-as-library -sanitize=fuzzer,address -swift-version 5 -D SWIFT_PACKAGE -Xcc -DYAML_DECLARE_STATIC \
    -I "$yams/Sources/CYaml/include" -wmo -module-name Yams -emit-module -emit-module-path "$out/modules/Yams.swiftmodule" \
    -emit-object -o "$out/modules/Yams.o" "$yams"/Sources/Yams/*.swift
  fi
  module Crypto Fuzz/Shims/Crypto.swift
  module Rules Sources/Rules/Pack/*.swift Sources/Rules/Expression/*.swift
fi

for t in "${targets[@]}"; do
  objects=("$out/modules/SkillsDomain.o" "$out/modules/Intake.o")
  if [[ $t == pack || $t == expression ]]; then
    objects+=("$out/modules/Rules.o" "$out/modules/Crypto.o" "$out/modules/Yams.o" "$out"/modules/cyaml-*.o)
  fi
  echo "linking fuzz-$t"
  swiftc "${swift_flags[@]}" -module-name "Fuzz_$t" "Fuzz/Targets/$t.swift" "${objects[@]}" -o "$out/fuzz-$t" 2>&1 \
    | grep -v "__asan_\|warning: undefined\|^$" || true
  [[ -x "$out/fuzz-$t" ]] || { echo "fuzz-$t was not built" >&2; exit 1; }
done
echo "built: ${targets[*]/#/$out/fuzz-}"
