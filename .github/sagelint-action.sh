#!/usr/bin/env bash
# The GitHub Action's run step (action.yml), kept as a script so CI can run it locally.
# Inputs come as environment variables; the exit code is sagelint's (0 clean, 1 findings, 2 error).
set -uo pipefail
bin="${SAGELINT_BIN:-sagelint}"
read -r -a paths <<< "${SAGELINT_PATHS:-.}"
common=(--fail-on "${SAGELINT_FAIL_ON:-error}" --color never)
if [ -n "${SAGELINT_CONFIG:-}" ]; then common+=(--config "$SAGELINT_CONFIG"); fi
if [ -n "${SAGELINT_SARIF_FILE:-}" ]; then
  "$bin" check "${paths[@]}" "${common[@]}" --format sarif --output "$SAGELINT_SARIF_FILE"
  status=$?
  if [ "$status" -eq 2 ]; then exit 2; fi
fi
"$bin" check "${paths[@]}" "${common[@]}" --format "${SAGELINT_FORMAT:-github}"
