#!/usr/bin/env bash
# The GitHub Action's run step (action.yml), kept as a script so CI can run it locally.
# Inputs come as environment variables; the exit code is sagelint's (0 clean, 1 findings, 2 error).
# Outputs (errors, warnings, infos, sarif-file, version) go to $GITHUB_OUTPUT when it is set.
set -uo pipefail
bin="${SAGELINT_BIN:-sagelint}"
out="${GITHUB_OUTPUT:-/dev/null}"
read -r -a paths <<< "${SAGELINT_PATHS:-.}"
common=(--fail-on "${SAGELINT_FAIL_ON:-error}" --color never)
if [ -n "${SAGELINT_CONFIG:-}" ]; then common+=(--config "$SAGELINT_CONFIG"); fi
if [ -n "${SAGELINT_SARIF_FILE:-}" ]; then
  "$bin" check "${paths[@]}" "${common[@]}" --format sarif --output "$SAGELINT_SARIF_FILE"
  status=$?
  if [ "$status" -eq 2 ]; then exit 2; fi
  echo "sarif-file=$SAGELINT_SARIF_FILE" >> "$out"
fi
# The counts come from the JSON report's summary (schema version 1, cli-contract.md).
report="$(mktemp)"
"$bin" check "${paths[@]}" "${common[@]}" --format json --output "$report"
if [ "$?" -eq 2 ]; then rm -f "$report"; exit 2; fi
for key in errors warnings infos; do
  count="$(grep -o "\"$key\": [0-9]*" "$report" | tail -n 1 | grep -o '[0-9]*$')"
  echo "$key=${count:-0}" >> "$out"
done
rm -f "$report"
echo "version=$("$bin" --version | cut -d' ' -f2)" >> "$out"
"$bin" check "${paths[@]}" "${common[@]}" --format "${SAGELINT_FORMAT:-github}"
