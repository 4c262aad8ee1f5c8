#!/usr/bin/env bash
# Exercises .pre-commit-hooks.yaml with the real pre-commit (PyPI): a repository with a broken
# template must fail the hook, the same repository fixed must pass.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
venv="$here/.tools/pre-commit-venv"
if [ ! -x "$venv/bin/pre-commit" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet pre-commit==4.*
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export PRE_COMMIT_HOME="$here/.tools/pre-commit-cache"
cp -r "$here/testdata/scenarios/sam-logs-s3-only/." "$work/"
cd "$work"
git init -q && git config user.email ci@example.com && git config user.name ci
git add -A && git commit -qm broken
if "$venv/bin/pre-commit" try-repo "$here" sagelint --all-files > "$work/broken.log" 2>&1; then
  cat "$work/broken.log"; echo "pre-commit: the broken template passed"; exit 1
fi
grep -q "SL101" "$work/broken.log" || { cat "$work/broken.log"; echo "pre-commit: no SL101 in the output"; exit 1; }
cp -r "$here/testdata/scenarios/sam-correct-wiring/." "$work/"
git add -A && git commit -qm fixed
"$venv/bin/pre-commit" try-repo "$here" sagelint --all-files > "$work/fixed.log" 2>&1 || { cat "$work/fixed.log"; echo "pre-commit: the fixed template failed"; exit 1; }
echo "pre-commit: broken template fails, fixed template passes"
