#!/usr/bin/env bash
# Fuzzing step of CI: builds the cargo-fuzz targets in fuzz/ and runs each for a bounded time
# (FUZZ_SECONDS, default 30) from a seed corpus made of the repository's own fixtures. Prints one
# line per target with executions and crashes; fails if any target crashed, timed out or ran out
# of memory (the failing input is kept under fuzz/artifacts/<target>/).
# The seed is fixed (FUZZ_SEED, default 1) so that a CI run replays what a local run of the same
# commit explored: a slower machine executes a prefix of the same sequence. Explore further with
# another seed or a longer FUZZ_SECONDS.
# The toolchain is stable: RUSTC_BOOTSTRAP=1 lets cargo-fuzz pass its -Z flags (sanitizer, coverage).
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH="${FUZZ_SECONDS:-30}"
SEED="${FUZZ_SEED:-1}"
export RUSTC_BOOTSTRAP=1 CARGO_TERM_COLOR=never
if ! cargo fuzz --version >/dev/null 2>&1; then cargo install cargo-fuzz --locked --version 0.13.2; fi
TARGETS=(json yaml template terraform handler_python handler_js iam_match iam_policy)
cargo fuzz build -O 2>&1 | tail -n 2

seed() { # seed TARGET PREFIX FILES... : copy fixtures into the target's corpus, with a prefix byte
  local target="$1" prefix="$2"; shift 2
  mkdir -p "fuzz/corpus/$target"
  local f
  for f in "$@"; do
    local name; name="seed-$(printf '%s' "$f" | cksum | cut -d' ' -f1)"
    if [ -n "$prefix" ]; then { printf '%b' "$prefix"; cat "$f"; } > "fuzz/corpus/$target/$name"
    else cp "$f" "fuzz/corpus/$target/$name"; fi
  done
}
mapfile -t JSONS < <(find testdata -name '*.json' -size -64k -not -path '*/adversarial/*')
mapfile -t YAMLS < <(find testdata -name '*.yaml' -size -64k -not -path '*/adversarial/*')
mapfile -t TFS < <(find testdata -name '*.tf' -size -64k -not -path '*/adversarial/*')
mapfile -t TFJSONS < <(find testdata -name '*.tf.json' -size -64k -not -path '*/adversarial/*')
mapfile -t PLANS < <(grep -rl --include='*.json' '"format_version"' testdata | grep -v adversarial || true)
mapfile -t PYS < <(find testdata -name '*.py' -size -64k)
mapfile -t JSS < <(find testdata -name '*.js' -o -name '*.ts' -o -name '*.mjs' | grep -v node_modules || true)
seed json "" "${JSONS[@]}"
seed yaml "" "${YAMLS[@]}"
seed template '\x00' "${YAMLS[@]}"
seed template '\x01' "${JSONS[@]}"
seed terraform '\x00' "${TFS[@]}"
seed terraform '\x01' "${TFJSONS[@]}"
if [ "${#PLANS[@]}" -gt 0 ]; then seed terraform '\x02' "${PLANS[@]}"; fi
seed handler_python "" "${PYS[@]}"
if [ "${#JSS[@]}" -gt 0 ]; then seed handler_js "" "${JSS[@]}"; fi
seed iam_policy "" "${JSONS[@]}"
mkdir -p fuzz/corpus/handler_js fuzz/corpus/iam_match
printf 'const r = new SageMakerRuntimeClient({});\nawait r.send(new InvokeEndpointCommand({ EndpointName: process.env.ENDPOINT_NAME }));\n' > fuzz/corpus/handler_js/seed-inline
printf 'arn:aws:sagemaker:*:*:endpoint/churn-*\0arn:aws:sagemaker:\001AWS::Region\001:123456789012:endpoint/churn-model' > fuzz/corpus/iam_match/seed-1
printf 'sagemaker:Invoke*\0sagemaker:InvokeEndpoint' > fuzz/corpus/iam_match/seed-2
printf 'arn:${AWS::Partition}:s3:::bucket/${aws:username}/*\0arn:aws:s3:::bucket/alice/x' > fuzz/corpus/iam_match/seed-3

failed=0
printf '| target | seconds | executions | exec/s | corpus | crashes |\n|---|---:|---:|---:|---:|---:|\n'
for t in "${TARGETS[@]}"; do
  log="fuzz/last-$t.log"
  status=0
  cargo fuzz run -O "$t" -- -max_total_time="$SECONDS_EACH" -seed="$SEED" -timeout=10 -rss_limit_mb=2048 \
    -max_len=131072 -print_final_stats=1 > "$log" 2>&1 || status=$?
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')
  rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')
  corpus=$(ls "fuzz/corpus/$t" | wc -l)
  crashes=0
  if [ "$status" -ne 0 ]; then crashes=1; failed=1; fi
  printf '| %s | %s | %s | %s | %s | %s |\n' "$t" "$SECONDS_EACH" "$runs" "$rate" "$corpus" "$crashes"
  if [ "$status" -ne 0 ]; then grep -E 'panicked|ERROR|SUMMARY|artifact' "$log" | head -n 8 >&2; fi
done
exit "$failed"
