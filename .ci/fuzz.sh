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
TARGETS=(json yaml yaml_fast template terraform handler_python handler_js iam_match iam_policy
  discovery config_files terraform_file_fn eval render_long_lines zip_code)
cargo fuzz build -O 2>&1 | tail -n 2

seed() { # seed TARGET PREFIX FILES... : copy fixtures into the target's corpus, with a prefix byte
  local target="$1" prefix="$2"; shift 2
  mkdir -p "fuzz/corpus/$target"
  local f
  for f in "$@"; do
    local name; name="seed-$(printf '%s' "$prefix$f" | cksum | cut -d' ' -f1)"
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
mapfile -t ZIPS < <(find testdata -name '*.zip' -size -64k)
seed json "" "${JSONS[@]}"
seed yaml "" "${YAMLS[@]}"
seed yaml_fast "" "${YAMLS[@]}"
seed template '\x00' "${YAMLS[@]}"
seed template '\x01' "${JSONS[@]}"
seed terraform '\x00' "${TFS[@]}"
seed terraform '\x01' "${TFJSONS[@]}"
if [ "${#PLANS[@]}" -gt 0 ]; then seed terraform '\x02' "${PLANS[@]}"; fi
seed handler_python "" "${PYS[@]}"
if [ "${#JSS[@]}" -gt 0 ]; then seed handler_js "" "${JSS[@]}"; fi
seed iam_policy "" "${JSONS[@]}"
if [ "${#ZIPS[@]}" -gt 0 ]; then seed zip_code "" "${ZIPS[@]}"; fi
mkdir -p fuzz/corpus/handler_js fuzz/corpus/iam_match
printf 'const r = new SageMakerRuntimeClient({});\nawait r.send(new InvokeEndpointCommand({ EndpointName: process.env.ENDPOINT_NAME }));\n' > fuzz/corpus/handler_js/seed-inline
printf 'arn:aws:sagemaker:*:*:endpoint/churn-*\0arn:aws:sagemaker:\001AWS::Region\001:123456789012:endpoint/churn-model' > fuzz/corpus/iam_match/seed-1
printf 'sagemaker:Invoke*\0sagemaker:InvokeEndpoint' > fuzz/corpus/iam_match/seed-2
printf 'arn:${AWS::Partition}:s3:::bucket/${aws:username}/*\0arn:aws:s3:::bucket/alice/x' > fuzz/corpus/iam_match/seed-3

# discovery: a fixture folder as records (a name selector byte, the file), joined by the separator
# of fuzz_targets/discovery.rs; the indices are those of its NAMES.
declare -A DISCOVERY_NAMES=([template.yaml]=0 [template.json]=1 [main.tf]=2 [extra.tf.json]=3
  [terraform.tfvars]=4 [serverless.yml]=6 [cdk.json]=7 [src/app.py]=8 [src/index.js]=9 [.gitignore]=10
  [plan.json]=15 [template.yml]=17 [variables.tf]=18)
seed_tree() { # seed_tree DIR [EXTRA-RECORD] : one discovery seed of the known files in DIR
  local dir="$1" extra="${2:-}" out first=1 rel
  out="fuzz/corpus/discovery/seed-$(printf '%s' "$dir$extra" | cksum | cut -d' ' -f1)"
  : > "$out"
  for rel in "${!DISCOVERY_NAMES[@]}"; do
    [ -f "$dir/$rel" ] && [ "$(wc -c < "$dir/$rel")" -lt 65536 ] || continue
    if [ "$first" -eq 0 ]; then printf '\x00\xc0\xc1\x00' >> "$out"; fi
    first=0
    printf "\\x$(printf '%02x' "${DISCOVERY_NAMES[$rel]}")" >> "$out"
    cat "$dir/$rel" >> "$out"
  done
  if [ -n "$extra" ]; then printf '\x00\xc0\xc1\x00%b' "$extra" >> "$out"; fi
  if [ "$first" -eq 1 ]; then rm -f "$out"; fi
}
mkdir -p fuzz/corpus/discovery
while IFS= read -r d; do seed_tree "$d"; done < <(find testdata/rules testdata/scenarios testdata/adversarial \
  -mindepth 1 -type d -not -path '*/src*' -not -path '*/node_modules*')
# Size caps and links: the SAM scenario with its template past the 32 MiB cap, its handler past the
# small-file cap, its handler a link to /dev/zero, to a file outside the folder, or dangling, and an
# x.auto.tfvars that links to the src folder.
for extra in '\x80' '\xc8' '\x48\x01' '\x48\x02' '\x48\x07' '\x45\x05'; do
  seed_tree testdata/scenarios/sam-logs-s3-only "$extra"
done
mkdir -p fuzz/corpus/config_files fuzz/corpus/terraform_file_fn fuzz/corpus/eval
mapfile -t CONFIGS < <(find testdata -name 'sagelint.toml')
mapfile -t POLICIES < <(find testdata -name 'scp*.json' -o -name 'assume-role.json' -o -path 'testdata/eval/*.json')
seed config_files '\x00' "${CONFIGS[@]}"
seed config_files '\x01' "${POLICIES[@]}"
printf '\x02Version: "2012-10-17"\nStatement:\n  - Effect: Allow\n    Action: sagemaker:InvokeEndpoint\n    Resource: "*"\n' \
  > fuzz/corpus/config_files/seed-yaml
# A config error past column 65,535 (miette cannot draw a label there).
{ printf '\x00region = "'; head -c 70000 /dev/zero | tr '\0' a; printf '" junk\n'; } > fuzz/corpus/config_files/seed-long-line
# A baseline with the fixture's finding (`@fp@`: its fingerprint) and one that matches nothing.
printf '\x03{"version":1,"findings":[{"code":"SL101","file":"template.yaml","fingerprint":"@fp@","message":"m"}]}\n' \
  > fuzz/corpus/config_files/seed-baseline
printf '\x03{"version":1,"findings":[{"code":"SL101","file":"template.yaml","fingerprint":"0123456789abcdef","message":"m"}]}\n' \
  > fuzz/corpus/config_files/seed-baseline-other
seed terraform_file_fn "" "${POLICIES[@]}"
printf '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sagemaker:InvokeEndpoint","Resource":"*"}]}' \
  > fuzz/corpus/terraform_file_fn/seed-allow
for f in "${POLICIES[@]}"; do
  name="seed-$(printf '%s' "$f" | cksum | cut -d' ' -f1)"
  { printf '\x00'; cat "$f"; printf '\0sagemaker:InvokeEndpoint\0arn:aws:sagemaker:eu-west-1:123456789012:endpoint/churn\0aws:SourceVpc=vpc-1\0aws:SecureTransport=true'; } \
    > "fuzz/corpus/eval/$name"
  { printf '\x06'; cat "$f"; printf '\0sagemaker:InvokeEndpoint\0arn:aws:sagemaker:us-east-1:123456789012:endpoint/x\0aws:SourceVpc='; } \
    > "fuzz/corpus/eval/$name-bs"
done
# render_long_lines: JSON templates behind about 98,300 units of padding (spaces, an ASCII string,
# é at the end, 4-byte characters, \u escapes parsed as YAML).
mapfile -t CFN_JSONS < <(grep -rl '"Resources"' --include='*.json' testdata | grep -v adversarial || true)
seed render_long_lines '\x00\xff\x7f' "${CFN_JSONS[@]}"
seed render_long_lines '\x02\xff\x7f' "${CFN_JSONS[@]}"
seed render_long_lines '\x13\x00\x80' "${CFN_JSONS[@]}"
seed render_long_lines '\x05\x00\x80' "${CFN_JSONS[@]}"
seed render_long_lines '\x0f\x00\x80' "${CFN_JSONS[@]}"

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
