#!/usr/bin/env bash
# Exercises .pre-commit-hooks.yaml with the real pre-commit (PyPI): for each hook (the Python
# package and the source build), a repository with a broken template must fail the hook and the
# same repository fixed must pass. Both builds share the project's target folder, so the second
# compile is a no-op.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
venv="$here/.tools/pre-commit-venv"
if [ ! -x "$venv/bin/pre-commit" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet pre-commit==4.*
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export PRE_COMMIT_HOME="$work/pre-commit-cache"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$here/target}"
cd "$work"
for hook in sagelint sagelint-src; do
  rm -rf repo && mkdir repo && cd repo
  git init -q && git config user.email ci@example.com && git config user.name ci
  cp -r "$here/testdata/scenarios/sam-logs-s3-only/." .
  git add -A && git commit -qm broken
  if "$venv/bin/pre-commit" try-repo "$here" "$hook" --all-files > "$work/broken.log" 2>&1; then
    cat "$work/broken.log"; echo "pre-commit $hook: the broken template passed"; exit 1
  fi
  grep -q "SL101" "$work/broken.log" || { cat "$work/broken.log"; echo "pre-commit $hook: no SL101 in the output"; exit 1; }
  cp -r "$here/testdata/scenarios/sam-correct-wiring/." .
  git add -A && git commit -qm fixed
  "$venv/bin/pre-commit" try-repo "$here" "$hook" --all-files > "$work/fixed.log" 2>&1 || { cat "$work/fixed.log"; echo "pre-commit $hook: the fixed template failed"; exit 1; }
  echo "pre-commit $hook: broken template fails, fixed template passes"
  cd "$work"
done
