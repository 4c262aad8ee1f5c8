#!/usr/bin/env bash
# Terraform `locals` chains (issue 11, item 5): one root module whose Lambda's ENDPOINT_NAME is the
# end of a chain of N locals (`l1 = local.l0`, `l2 = local.l1`, …) and whose role allows invoking
# another endpoint, so the verdict (SL101) needs the whole chain followed. Times the release CLI:
# best of RUNS wall seconds, the CPU seconds (user + sys) of that run, peak RSS, and the findings.
# Not part of CI.
#
#   bash benches/terraform_locals.sh [N ...]          # default: 1000 10000 100000
#   BIN=/path/to/sagelint bash benches/terraform_locals.sh   # another build (no cargo build)
#   RUNS=1 TIMEOUT=600 ...                            # runs per size; seconds before giving up
#
# Prints a Markdown table for benches/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=("$@")
if [ "${#SIZES[@]}" -eq 0 ]; then SIZES=(1000 10000 100000); fi
RUNS="${RUNS:-3}"
TIMEOUT="${TIMEOUT:-600}"
if [ -z "${BIN:-}" ]; then
  cargo build --release --quiet
  BIN=target/release/sagelint
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

generate() { # dir n
  mkdir -p "$1/src"
  cat > "$1/src/app.py" <<'EOF'
import os

import boto3

runtime = boto3.client("sagemaker-runtime")


def handler(event, context):
    return runtime.invoke_endpoint(EndpointName=os.environ["ENDPOINT_NAME"], Body=event["body"])
EOF
  {
    printf 'provider "aws" {\n  region = "eu-west-1"\n}\n\nlocals {\n  l0 = "churn-scorer"\n'
    awk -v n="$2" 'BEGIN { for (i = 1; i < n; i++) printf "  l%d = local.l%d\n", i, i - 1 }'
    cat <<EOF
}

resource "aws_sagemaker_endpoint" "scorer" {
  name                 = "churn-scorer"
  endpoint_config_name = "churn-scorer-config"
}

resource "aws_iam_role" "scorer" {
  name                = "churn-scorer-lambda"
  managed_policy_arns = ["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"]
  inline_policy {
    name = "invoke"
    policy = jsonencode({
      Version   = "2012-10-17"
      Statement = [{ Effect = "Allow", Action = "sagemaker:InvokeEndpoint", Resource = "arn:aws:sagemaker:eu-west-1:*:endpoint/churn-staging" }]
    })
  }
}

data "archive_file" "code" {
  type        = "zip"
  source_dir  = "\${path.module}/src"
  output_path = "\${path.module}/build/scorer.zip"
}

resource "aws_lambda_function" "scorer" {
  function_name = "churn-scorer"
  role          = aws_iam_role.scorer.arn
  handler       = "app.handler"
  runtime       = "python3.12"
  timeout       = 30
  filename      = data.archive_file.code.output_path
  environment {
    variables = {
      ENDPOINT_NAME = local.l$(($2 - 1))
    }
  }
}
EOF
  } > "$1/main.tf"
}

echo "| N locals | main.tf MB | wall s (best of $RUNS) | CPU s (user + sys) | peak RSS MB | exit | findings |"
echo "|---:|---:|---:|---:|---:|---:|---|"
for n in "${SIZES[@]}"; do
  dir="$WORK/chain-$n"
  generate "$dir" "$n"
  cat "$dir/main.tf" > /dev/null
  mb=$(awk -v b="$(stat -c %s "$dir/main.tf")" 'BEGIN { printf "%.2f", b / 1048576 }')
  best=""; cpu=""; rss=""; code=""
  for _ in $(seq "$RUNS"); do
    set +e
    /usr/bin/time -f '%e %M %U %S' -o "$WORK/time" timeout "$TIMEOUT" "$BIN" check "$dir" --format short > "$WORK/out" 2> "$WORK/err"
    code=$?
    set -e
    read -r s kb u sy < <(tail -n 1 "$WORK/time")
    if [ -z "$best" ] || awk "BEGIN{exit !($s < $best)}"; then
      best=$s; cpu=$(awk "BEGIN{print $u + $sy}"); rss=$((kb / 1024))
    fi
  done
  if [ "$code" -eq 124 ]; then
    findings="timed out after ${TIMEOUT} s"
  else
    findings=$(awk '{ print $2 }' "$WORK/out" | sort | uniq -c | awk '{ printf "%s%s x%s", (NR > 1 ? ", " : ""), $2, $1 }')
  fi
  echo "| $n | $mb | $best | $cpu | $rss | $code | ${findings:-none} |"
done
