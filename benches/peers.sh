#!/usr/bin/env bash
# Peers on real templates (issue 14): sagelint, cfn-lint, checkov and cfn-guard timed in the same
# run, on the CloudFormation templates of aws-cloudformation/aws-cloudformation-templates at a
# pinned commit. Not part of CI; nothing of the repository is copied into this project.
#
#   git clone https://github.com/aws-cloudformation/aws-cloudformation-templates /tmp/act
#   git -C /tmp/act checkout 142ce6f283d2
#   python3 -m venv .tools/peers/venv && .tools/peers/venv/bin/pip install cfn-lint checkov
#   cargo install --locked cfn-guard --root .tools/peers
#   bash benches/peers.sh /tmp/act [RUNS]          # default 3 runs each; median wall, CPU, peak RSS
#                                                 # (sagelint's wall: the median of FAST_RUNS=60 more)
#
# Each tool reads the same list of files: every *.yaml/*.yml/*.json under the checkout with a
# top-level `Resources` section (the templates). checkov runs with --skip-download (no network)
# and --framework cloudformation; cfn-guard validates them against one small rule file (it
# ships no rules), so its figure is the cost of parsing and one query per template. Prints a
# Markdown table for benches/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(cd "${1:?usage: benches/peers.sh CHECKOUT [RUNS]}" && pwd)
runs=${2:-3}
tools=.tools/peers
cargo build --profile dist --quiet  # what the wheels ship (Cargo.toml)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The templates: files whose top level has a Resources key (YAML `Resources:` at column 0, or a
# JSON `"Resources"` key).
while IFS= read -r -d '' f; do
  if grep -qE '^Resources:|^[[:space:]]{0,4}"Resources"[[:space:]]*:' "$f"; then printf '%s\n' "$f"; fi
done < <(find "$repo" -path "$repo/.git" -prune -o -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) -print0) \
  | sort > "$work/templates"
mapfile -t templates < "$work/templates"
cat "${templates[@]}" > /dev/null  # the page cache, warm for every tool alike

cat > "$work/rules.guard" <<'GUARD'
let functions = Resources.*[ Type == 'AWS::Lambda::Function' ]
rule lambda_has_role when %functions !empty {
  %functions.Properties.Role exists
}
GUARD

# wall seconds, CPU seconds and peak RSS (MB) of one run, exit code ignored (linters exit non-zero on findings)
measure() {
  local t0 t1
  t0=$(date +%s.%N)
  /usr/bin/time -f '%U %S %M' -o "$work/time" "$@" > /dev/null 2>&1 || true
  t1=$(date +%s.%N)
  read -r u s kb < <(tail -n 1 "$work/time")
  awk -v a="$t0" -v b="$t1" -v u="$u" -v s="$s" -v kb="$kb" 'BEGIN { printf "%.4f %.3f %.1f\n", b - a, u + s, kb / 1024 }'
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# The wall time of a command that takes tens of milliseconds: the median of FAST_RUNS runs timed
# by Python around the process alone. Through `measure`, the fork and exec of /usr/bin/time and
# the two `date` calls add milliseconds of their own to a 20 ms run.
fast_runs=${FAST_RUNS:-60}
fast_wall() {
  python3 - "$fast_runs" "$@" <<'PY'
import statistics, subprocess, sys, time
runs, cmd = int(sys.argv[1]), sys.argv[2:]
walls = []
for _ in range(runs):
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    walls.append(time.perf_counter() - start)
print(f"{statistics.median(walls):.4f}")
PY
}

# row [--fast] NAME COMMAND...: median wall, CPU and peak RSS of RUNS runs; with --fast the wall
# is fast_wall's instead.
row() {
  local fast=0
  if [ "$1" = --fast ]; then fast=1; shift; fi
  local name=$1; shift
  : > "$work/wall"; : > "$work/cpu"; : > "$work/rss"
  "$@" > /dev/null 2>&1 || true  # warm-up, not counted
  for _ in $(seq "$runs"); do
    read -r w c m < <(measure "$@")
    echo "$w" >> "$work/wall"; echo "$c" >> "$work/cpu"; echo "$m" >> "$work/rss"
  done
  local w c m
  w=$(median < "$work/wall"); c=$(median < "$work/cpu"); m=$(median < "$work/rss")
  if [ "$fast" = 1 ]; then w=$(fast_wall "$@"); fi
  echo "$name $w $c $m" >> "$work/rows"
}

: > "$work/rows"
row --fast sagelint target/dist/sagelint check --format json --color never "${templates[@]}"
row --fast "sagelint --jobs 1" target/dist/sagelint check --format json --color never --jobs 1 "${templates[@]}"
[ -x "$tools/venv/bin/cfn-lint" ] && row cfn-lint "$tools/venv/bin/cfn-lint" --format json -- "${templates[@]}"
[ -x "$tools/venv/bin/checkov" ] && row checkov "$tools/venv/bin/checkov" --skip-download --quiet --compact \
  --framework cloudformation -o json $(printf -- '-f %s ' "${templates[@]}")
[ -x "$tools/bin/cfn-guard" ] && row cfn-guard "$tools/bin/cfn-guard" validate --rules "$work/rules.guard" \
  --show-summary none --output-format json $(printf -- '--data %s ' "${templates[@]}")

echo "- templates: ${#templates[@]} ($(git -C "$repo" rev-parse --short=12 HEAD)); runs: $runs each after one warm-up (sagelint's wall: median of $fast_runs more); load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- versions: $(target/dist/sagelint --version)$( [ -x "$tools/venv/bin/cfn-lint" ] && echo ", cfn-lint $("$tools/venv/bin/cfn-lint" --version 2>&1 | awk '{print $NF}')" )$( [ -x "$tools/venv/bin/checkov" ] && echo ", checkov $("$tools/venv/bin/checkov" --version 2>&1 | tail -n 1)" )$( [ -x "$tools/bin/cfn-guard" ] && echo ", $("$tools/bin/cfn-guard" --version 2>&1)" )"
echo
echo "| tool | median wall s | median CPU s | median peak RSS MB | wall / sagelint's |"
echo "| --- | ---: | ---: | ---: | ---: |"
base=$(awk 'NR == 1 { print $2 }' "$work/rows")
while read -r line; do
  name=${line% * * *}; set -- ${line##"$name" }
  awk -v n="$name" -v w="$1" -v c="$2" -v m="$3" -v b="$base" 'BEGIN { printf "| %s | %.3f | %.2f | %.0f | %.0f× |\n", n, w, c, m, w / b }'
done < "$work/rows"
