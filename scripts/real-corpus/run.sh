#!/usr/bin/env bash
# Judge the real repositories of manifest.json with sagelint and write a
# markdown table comparing sagelint's error codes with the reviewer's verdict.
#
#   scripts/real-corpus/run.sh CLONES_DIR [SAGELINT_BIN] > RESULTS.md
#
# CLONES_DIR holds one clone per repository, named <owner>+<name>. A missing
# one is cloned from GitHub when the network allows; otherwise its row says
# "missing: fetch it". Each pinned commit is checked out in a scratch clone
# (the clone in CLONES_DIR is never modified), so nothing of the repositories
# lands in this project.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
clones=${1:?usage: run.sh CLONES_DIR [SAGELINT_BIN]}
sagelint=${2:-$root/target/release/sagelint}
manifest=$here/manifest.json
clones=$(cd "$clones" && pwd)
[[ -x "$sagelint" ]] || { echo "no sagelint binary at $sagelint (cargo build --release)" >&2; exit 2; }
# Each repository is linted from its own root, so a relative binary path must not be.
sagelint=$(cd "$(dirname "$sagelint")" && pwd)/$(basename "$sagelint")

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# Error codes with their counts, e.g. "SL002×3, SL101" ("clean" when none).
codes_with_counts() {
  jq -r '[.diagnostics[] | select(.severity == "error") | .code] | group_by(.)
         | map(if length > 1 then "\(.[0])×\(length)" else .[0] end)
         | if length == 0 then "clean" else join(", ") end'
}
code_set() {
  jq -r '[.diagnostics[] | select(.severity == "error") | .code] | unique | join(",")'
}

echo "# Real-repository corpus: results"
echo
echo "- date: $(date -u +%Y-%m-%d)"
echo "- sagelint: $("$sagelint" --version) built from $(git -C "$root" rev-parse HEAD) (src/ last changed in $(git -C "$root" log -1 --format=%h -- src Cargo.toml Cargo.lock data))"
echo "- command: \`sagelint --format json PATHS\` run from each repository's root; only error-severity codes are compared"
echo
echo "| repository (entry) | commit | format | language | expected | got | verdict | reason |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- |"

agree=0 disagree=0 missing=0
count=$(jq '.entries | length' "$manifest")
for ((i = 0; i < count; i++)); do
  entry=$(jq -c ".entries[$i]" "$manifest")
  field() { jq -r "$1" <<<"$entry"; }
  id=$(field .id) repo=$(field .repo) commit=$(field .commit)
  format=$(field .format) language=$(field .language)
  reason=$(field .reason)
  expected=$(field '.expected | sort | join(",")')
  expected_shown=$(field 'if (.expected | length) == 0 then "clean" else .expected | join(", ") end')
  dir=$clones/${repo/\//+}
  row_start="| $repo ($id) | ${commit:0:12} | $format | $language | $expected_shown"

  if [[ ! -d "$dir/.git" && ! -f "$dir/HEAD" ]]; then
    GIT_TERMINAL_PROMPT=0 timeout 600 git clone -q "https://github.com/$repo" "$dir" 2>/dev/null || rm -rf "$dir"
  fi
  if [[ ! -d "$dir/.git" && ! -f "$dir/HEAD" ]]; then
    echo "$row_start | — | missing: fetch it | $reason |"
    missing=$((missing + 1))
    continue
  fi

  mapfile -t paths < <(field '.paths[]')
  # Only the listed paths are checked out: some snapshots lack large blobs
  # elsewhere in the tree, and nothing outside the paths is linted anyway.
  # "checkout" narrows what is checked out when it must differ from the
  # linted paths; by default the linted paths are what is checked out.
  mapfile -t wanted < <(field '(.checkout // .paths)[]')
  sparse=()
  for p in "${wanted[@]}"; do
    if [[ "$p" == "." ]]; then sparse+=("/*"); else sparse+=("/${p#./}"); fi
  done
  work=$scratch/$id
  if ! git clone -q --shared --no-checkout "$dir" "$work" 2>/dev/null ||
    ! git -C "$work" sparse-checkout set --no-cone -- "${sparse[@]}" 2>/dev/null ||
    ! git -C "$work" checkout -q --detach "$commit" 2>/dev/null; then
    echo "$row_start | — | missing: commit ${commit:0:12} not in the clone, fetch it | $reason |"
    missing=$((missing + 1))
    continue
  fi

  # Exit code 1 only means findings; anything else (a crash) is reported.
  set +e
  (cd "$work" && "$sagelint" --format json --color never "${paths[@]}") >"$scratch/$id.json" 2>"$scratch/$id.err"
  status=$?
  set -e
  if ((status > 1)) || ! jq -e .diagnostics "$scratch/$id.json" >/dev/null 2>&1; then
    echo "$row_start | sagelint failed (exit $status): $(head -c 200 "$scratch/$id.err" | tr '\n|' '  ') | disagree | $reason |"
    disagree=$((disagree + 1))
    continue
  fi
  got=$(codes_with_counts <"$scratch/$id.json")
  got_set=$(code_set <"$scratch/$id.json")
  note=$reason
  if [[ "$got_set" == "$expected" ]]; then
    verdict=agree
    agree=$((agree + 1))
  else
    # A difference wholly made of codes the manifest lists as known false
    # (extra) or known missing is still a disagreement, but a tracked one.
    unexplained=$(jq -r --arg got "$got_set" '
      ($got | split(",") | map(select(. != ""))) as $got
      | (.expected) as $exp
      | ([.known_false[]?.code]) as $kf | ([.known_missing[]?.code]) as $km
      | (($got - $exp) - $kf) + (($exp - $got) - $km) | length' <<<"$entry")
    if [[ "$unexplained" == 0 ]]; then
      verdict="disagree (known: $(jq -r '[(.known_false[]?, .known_missing[]?) | "issue 13 item \(.item)"] | unique | join(", ")' <<<"$entry"))"
      known=$(jq -r '[(.known_false[]? | "known false error \(.code), issue 13 item \(.item): \(.what)"), (.known_missing[]? | "known missed error \(.code), issue 13 item \(.item): \(.what)")] | join("; ")' <<<"$entry")
      note="$reason. **$known**"
    else
      verdict=disagree
    fi
    disagree=$((disagree + 1))
  fi
  echo "$row_start | $got | $verdict | $note |"
  rm -rf "$work"
done

echo
echo "Agree: $agree, disagree: $disagree, missing: $missing (of $count entries)."

notes=$(jq -r '.entries[] | select(.note) | "- \(.repo) (\(.id)): \(.note)"' "$manifest")
if [[ -n "$notes" ]]; then
  echo
  echo "## Notes (diagnoses, and agreements that are silent or vacuous)"
  echo
  echo "$notes"
fi
