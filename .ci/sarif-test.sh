#!/usr/bin/env bash
# SARIF gate: sagelint's `--format sarif` report for every fixture folder (testdata/rules/*/*/* and
# testdata/scenarios/*) must pass Microsoft's SARIF validator (npm @microsoft/sarif-multitool, MIT,
# test-time only, installed into the git-ignored .tools/) with no error and no warning, both for
# the SARIF 2.1.0 schema and spec rules (JSON*, SARIF*) and for GitHub code scanning's ingestion
# rules (GH*, `--rule-kind Gh`). Notes (advice such as "add snippets") are printed, not failed.
#
# The validator's exit code is 0 even when it finds errors, so this script reads its SARIF output
# (runs[].results). Before trusting a clean result it validates a known-bad file and requires the
# three planted errors to be reported, so a validator that silently checks nothing fails the gate.
#
#   .ci/sarif-test.sh              lint every fixture and validate the reports
#   .ci/sarif-test.sh FILE...      validate the given SARIF files instead (to see the gate fail)
set -euo pipefail
cd "$(dirname "$0")/.."

multitool=.tools/sarif/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool
if [ ! -f "$multitool" ]; then
  npm install --prefix .tools/sarif --no-audit --no-fund @microsoft/sarif-multitool@5.7.0
fi
# npm may skip the package's postinstall `chmod u+x` (install scripts not allowed).
chmod u+x "$multitool"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# validate DIR OUT: runs the validator on every file in DIR; prints its errors and warnings.
validate() {
  "$multitool" validate "$1" --output "$2" --log ForceOverwrite --rule-kind "Sarif;Gh" \
    --level "Error;Warning;Note" >"$work/validator.log" 2>&1 || true
  grep -E ': (error|warning) ' "$work/validator.log" || true
  if [ ! -s "$2" ]; then
    echo "sarif-test: the validator wrote no report; its output:" >&2
    cat "$work/validator.log" >&2
    exit 1
  fi
}

# count OUT LEVELS: how many results in the validator's report have one of the levels
# (comma-separated; a result without `level` is a warning, SARIF 3.27.10).
count() {
  node -e '
    const log = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const levels = process.argv[2].split(",");
    let n = 0;
    for (const run of log.runs) {
      for (const inv of run.invocations || []) {
        if (inv.executionSuccessful !== true) { console.error("sarif-test: validator run failed"); process.exit(2); }
        for (const note of [...(inv.toolExecutionNotifications || []), ...(inv.toolConfigurationNotifications || [])]) {
          if ((note.level || "warning") !== "note") { console.error("sarif-test: validator:", JSON.stringify(note.message)); process.exit(2); }
        }
      }
      for (const r of run.results || []) if (levels.includes(r.level || "warning")) n++;
    }
    console.log(n);' "$1" "$2"
}

# 1. The validator must catch a broken log: no `version`, a result without `message`, a region
#    starting at line 0.
mkdir "$work/canary"
cat >"$work/canary/broken.sarif" <<'JSON'
{ "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
  "runs": [ { "tool": { "driver": { "name": "canary" } },
    "results": [ { "ruleId": "X1", "locations": [ { "physicalLocation": {
      "artifactLocation": { "uri": "a.yaml" }, "region": { "startLine": 0 } } } ] } ] } ] }
JSON
validate "$work/canary" "$work/canary.out.sarif" >/dev/null
caught=$(count "$work/canary.out.sarif" error)
if [ "$caught" -lt 3 ]; then
  echo "sarif-test: the validator reported $caught of the 3 errors planted in a broken file; not trusted" >&2
  cat "$work/validator.log" >&2
  exit 1
fi

# 2. The reports.
mkdir "$work/reports"
if [ $# -gt 0 ]; then
  for file in "$@"; do cp "$file" "$work/reports/$(basename "$file")"; done
else
  cargo build --quiet
  sagelint=target/debug/sagelint
  for dir in testdata/rules/*/*/* testdata/scenarios/*; do
    [ -d "$dir" ] || continue
    out="$work/reports/$(echo "$dir" | tr / _).sarif"
    status=0
    "$sagelint" check "$dir" --format sarif --output "$out" || status=$?
    if [ "$status" -gt 1 ]; then
      echo "sarif-test: sagelint exited $status on $dir" >&2
      exit 1
    fi
  done
  # Paths that are not plain URI characters (space, '#', '%', non-ASCII), relative and absolute.
  odd="$work/odd dir #1 100% é"
  mkdir -p "$odd"
  cp -r testdata/scenarios/sam-logs-s3-only/. "$odd/"
  status=0
  (cd "$work" && "$OLDPWD/$sagelint" check "$(basename "$odd")" --format sarif --output reports/odd-relative.sarif) || status=$?
  "$sagelint" check "$odd" --format sarif --output "$work/reports/odd-absolute.sarif" || status=$((status | $?))
  if [ "$status" -gt 1 ]; then
    echo "sarif-test: sagelint failed on $odd" >&2
    exit 1
  fi
  grep -q '"uri": "file:///' "$work/reports/odd-absolute.sarif" || {
    echo "sarif-test: expected absolute file URIs for a tree outside the working directory" >&2
    exit 1
  }
fi
expected=$(find "$work/reports" -type f | wc -l)
validate "$work/reports" "$work/reports.out.sarif"
scanned=$(sed -n 's/^Done\. \([0-9]*\) files\{0,1\} scanned\..*/\1/p' "$work/validator.log")
if [ "$scanned" != "$expected" ]; then
  echo "sarif-test: the validator scanned ${scanned:-no} files, expected $expected" >&2
  exit 1
fi
problems=$(count "$work/reports.out.sarif" error,warning)
notes=$(grep -oE ': note [A-Z]+[0-9]+' "$work/validator.log" | sort | uniq -c | awk '{printf "%s%s x%s", sep, $4, $1; sep=", "}')
if [ "$problems" -ne 0 ]; then
  echo "sarif-test: $problems SARIF error(s)/warning(s) in $expected report(s) (see above)" >&2
  exit 1
fi
echo "sarif-test: $expected SARIF reports valid (sarif-multitool 5.7.0, rule kinds Sarif;Gh): 0 errors, 0 warnings (notes: ${notes:-none})"
