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

# wall seconds, peak RSS (KB), user and system CPU seconds of a command, its exit code ignored (linters exit non-zero on findings)
measure() {
  /usr/bin/time -f '%e %M %U %S' -o "$WORK/time" "$@" > "$WORK/out" 2> "$WORK/err" || true
  cat "$WORK/time" | tail -n 1
}

echo "| N | templates | sagelint wall s (jobs 2) | sagelint CPU s | sagelint wall s (jobs 1) | sagelint peak RSS MB | sagelint findings | cfn-lint wall s | cfn-lint CPU s | cfn-lint peak RSS MB | cfn-lint output lines | wall ratio | CPU ratio |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for n in "${SIZES[@]}"; do
  dir="$WORK/stacks-$n"
  cargo bench --quiet --bench lint_stacks -- --generate "$dir" "$n" > /dev/null
  mapfile -t templates < <(find "$dir" -name 'template.*' | sort)
  # Warm the page cache for both tools alike.
  cat "${templates[@]}" > /dev/null
  best2=""; best1=""; rss=""; cpu=""
  for _ in 1 2 3; do
    read -r s kb u sy < <(measure "$BIN" check "$dir" --jobs 2 --format json --output "$WORK/report.json")
    if [ -z "$best2" ] || awk "BEGIN{exit !($s < $best2)}"; then best2=$s; fi
    c=$(awk "BEGIN{print $u + $sy}")
    if [ -z "$cpu" ] || awk "BEGIN{exit !($c < $cpu)}"; then cpu=$c; fi
    if [ -z "$rss" ] || [ "$kb" -gt "$rss" ]; then rss=$kb; fi
    read -r s _ < <(measure "$BIN" check "$dir" --jobs 1 --format json --output "$WORK/report1.json")
    if [ -z "$best1" ] || awk "BEGIN{exit !($s < $best1)}"; then best1=$s; fi
  done
  cmp -s "$WORK/report.json" "$WORK/report1.json" || { echo "jobs=1 and jobs=2 reports differ at N=$n" >&2; exit 1; }
  findings=$(grep -c '"code"' "$WORK/report.json" || true)
  cfn_s="not run"; cfn_rss="-"; cfn_findings="-"; ratio="-"; cfn_cpu="-"; cpu_ratio="-"
  if [ -x "$CFN_LINT" ] && [ "$n" -le "$CFN_LINT_MAX" ]; then
    # Best of 2 for small N (the first run also compiles cfn-lint's bytecode); 1 run above that.
    read -r cfn_s cfn_kb u sy < <(measure "$CFN_LINT" --format parseable -- "${templates[@]}")
    cfn_cpu=$(awk "BEGIN{print $u + $sy}")
    if [ "$n" -le 100 ]; then
      read -r s2 kb2 u sy < <(measure "$CFN_LINT" --format parseable -- "${templates[@]}")
      if awk "BEGIN{exit !($s2 < $cfn_s)}"; then cfn_s=$s2; cfn_kb=$kb2; cfn_cpu=$(awk "BEGIN{print $u + $sy}"); fi
    fi
    cfn_findings=$(grep -c . "$WORK/out" || true)
    cfn_rss=$((cfn_kb / 1024))
    ratio=$(awk "BEGIN{printf \"%.0fx\", $cfn_s / ($best2 > 0.005 ? $best2 : 0.005)}")
    cpu_ratio=$(awk "BEGIN{printf \"%.0fx\", $cfn_cpu / ($cpu > 0.005 ? $cpu : 0.005)}")
  fi
  echo "| $n | ${#templates[@]} | $best2 | $cpu | $best1 | $((rss / 1024)) | $findings | $cfn_s | $cfn_cpu | $cfn_rss | $cfn_findings | $ratio | $cpu_ratio |"
done
echo
echo "sagelint $("$BIN" --version 2>/dev/null || echo "(version unknown)"); $("$CFN_LINT" --version 2>/dev/null || echo "cfn-lint not installed"); $(nproc) CPUs; /usr/bin/time resolution 10 ms"
