#!/usr/bin/env bash
# Side by side on the same generated stacks: sagelint's CLI (wall time and peak RSS from
# /usr/bin/time -v) and, when installed, cfn-lint (PyPI) on the same templates. Not part of CI.
#
#   python3 -m venv .tools/venv && .tools/venv/bin/pip install cfn-lint   # once, optional
#   bash benches/compare.sh [N ...]            # default: 1 100 1000 10000
#   CFN_LINT_MAX=1000 limits cfn-lint to runs with N <= that (it takes ~0.1-0.2 s per template).
#
# Prints a Markdown table for benches/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=("$@")
if [ "${#SIZES[@]}" -eq 0 ]; then SIZES=(1 100 1000 10000); fi
CFN_LINT="${CFN_LINT:-.tools/venv/bin/cfn-lint}"
CFN_LINT_MAX="${CFN_LINT_MAX:-1000}"
cargo build --release --quiet
BIN=target/release/sagelint
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# peak RSS (KB) and wall seconds of a command, its exit code ignored (linters exit non-zero on findings)
measure() {
  /usr/bin/time -f '%e %M' -o "$WORK/time" "$@" > "$WORK/out" 2> "$WORK/err" || true
  cat "$WORK/time" | tail -n 1
}

echo "| N | templates | sagelint jobs=2 s | sagelint jobs=1 s | sagelint peak RSS MB | sagelint findings | cfn-lint s | cfn-lint peak RSS MB | cfn-lint / sagelint |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for n in "${SIZES[@]}"; do
  dir="$WORK/stacks-$n"
  cargo bench --quiet --bench lint_stacks -- --generate "$dir" "$n" > /dev/null
  mapfile -t templates < <(find "$dir" -name 'template.*' | sort)
  # Warm the page cache for both tools alike.
  cat "${templates[@]}" > /dev/null
  best2=""; best1=""; rss=""
  for _ in 1 2 3; do
    read -r s kb < <(measure "$BIN" check "$dir" --jobs 2 --format json --output "$WORK/report.json")
    if [ -z "$best2" ] || awk "BEGIN{exit !($s < $best2)}"; then best2=$s; fi
    if [ -z "$rss" ] || [ "$kb" -gt "$rss" ]; then rss=$kb; fi
    read -r s _ < <(measure "$BIN" check "$dir" --jobs 1 --format json --output "$WORK/report1.json")
    if [ -z "$best1" ] || awk "BEGIN{exit !($s < $best1)}"; then best1=$s; fi
  done
  cmp -s "$WORK/report.json" "$WORK/report1.json" || { echo "jobs=1 and jobs=2 reports differ at N=$n" >&2; exit 1; }
  findings=$(grep -c '"code"' "$WORK/report.json" || true)
  cfn_s="not run"; cfn_rss="-"; ratio="-"
  if [ -x "$CFN_LINT" ] && [ "$n" -le "$CFN_LINT_MAX" ]; then
    read -r cfn_s cfn_kb < <(measure "$CFN_LINT" --format parseable -- "${templates[@]}")
    cfn_rss=$((cfn_kb / 1024))
    ratio=$(awk "BEGIN{printf \"%.0fx\", $cfn_s / ($best2 > 0.005 ? $best2 : 0.005)}")
  fi
  echo "| $n | ${#templates[@]} | $best2 | $best1 | $((rss / 1024)) | $findings | $cfn_s | $cfn_rss | $ratio |"
done
echo
echo "sagelint $("$BIN" --version 2>/dev/null || echo "(version unknown)"); $("$CFN_LINT" --version 2>/dev/null || echo "cfn-lint not installed"); $(nproc) CPUs; /usr/bin/time resolution 10 ms"
