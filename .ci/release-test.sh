#!/usr/bin/env bash
# Runs the release build (scripts/release/build.sh, as .github/workflows/release.yml does on a tag)
# for the host target into .tools/release/v<version>/, then installs the wheel it made into a
# fresh virtual environment and runs it on a broken and a fixed stack. The Action's download test
# (.ci/action-test.sh) installs from the same folder.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"
tools="$here/.tools"
if [ ! -x "$tools/maturin-venv/bin/maturin" ]; then
  python3 -m venv "$tools/maturin-venv"
  "$tools/maturin-venv/bin/pip" install --quiet "maturin>=1.9,<2"
fi
version="$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)"
host="$(rustc -vV | sed -n 's/^host: //p')"
release="$tools/release/v$version"
rm -rf "$release"
MATURIN="$tools/maturin-venv/bin/maturin" bash scripts/release/build.sh "$host" "$release"
ls "$release"
[ -f "$release/sagelint-$host.tar.gz" ] && [ -f "$release/sagelint-$host.tar.gz.sha256" ] \
  || { echo "release: archive or checksum missing"; exit 1; }
(cd "$release" && sha256sum -c "sagelint-$host.tar.gz.sha256")

venv="$(mktemp -d)"
trap 'rm -rf "$venv"' EXIT
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --no-index "$release"/sagelint-"$version"-*.whl
"$venv/bin/sagelint" --version | grep -qx "sagelint $version" || { echo "wheel: wrong version"; exit 1; }
set +e
"$venv/bin/sagelint" check testdata/scenarios/sam-logs-s3-only --format short > "$venv/broken.log"
status=$?
set -e
[ "$status" -eq 1 ] && grep -q "SL101" "$venv/broken.log" || { cat "$venv/broken.log"; echo "wheel: expected SL101 and exit 1, got $status"; exit 1; }
"$venv/bin/sagelint" check testdata/scenarios/sam-correct-wiring --quiet || { echo "wheel: the correct stack failed"; exit 1; }
echo "release: archive, checksum and wheel built for $host; the wheel installs and runs"
