#!/usr/bin/env bash
# Builds one release target: the binary archive with its SHA-256 file, and the Python wheel.
# Used by .github/workflows/release.yml for every target, and by CI here for the host target
# (.ci/release-test.sh), so the steps a tag runs are the steps CI has run.
#
#   scripts/release/build.sh TARGET OUTDIR
#
# Environment: SAGELINT_ZIG=1 links through zig (maturin's --zig: musl and old-glibc targets on
# one runner); SAGELINT_COMPAT sets the wheel's platform tag (manylinux2014); MATURIN (default:
# maturin) is the maturin to use. Written for bash 3.2 too (macOS runners).
set -euo pipefail
target="${1:?usage: build.sh TARGET OUTDIR}"
out="${2:?usage: build.sh TARGET OUTDIR}"
here="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$here"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
maturin="${MATURIN:-maturin}"
extra=()
if [ "${SAGELINT_ZIG:-0}" = 1 ]; then extra+=(--zig); fi
if [ -n "${SAGELINT_COMPAT:-}" ]; then extra+=(--compatibility "$SAGELINT_COMPAT"); fi

# The wheel first: maturin compiles the binary for the target (Cargo.toml's `dist` profile), which
# the archive reuses.
"$maturin" build --profile dist --locked --target "$target" ${extra[@]+"${extra[@]}"} --out "$out"

case "$target" in
  *windows*) exe=sagelint.exe ;;
  *) exe=sagelint ;;
esac
bin="${CARGO_TARGET_DIR:-$here/target}/$target/dist/$exe"
[ -f "$bin" ] || { echo "build.sh: $bin was not built" >&2; exit 1; }

stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
name="sagelint-$target"
mkdir "$stage/$name"
cp "$bin" README.md LICENSE CHANGELOG.md "$stage/$name/"
# tar.gz on every platform: the Action extracts it with the runner's tar (Git Bash on Windows),
# and Windows 10+ ships tar too.
archive="$name.tar.gz"
tar -C "$stage" -czf "$out/$archive" "$name"
# `sha256sum -c` format, one file per archive, as the Action verifies it.
(cd "$out" && python3 - "$archive" <<'PY'
import hashlib, sys
name = sys.argv[1]
digest = hashlib.sha256(open(name, "rb").read()).hexdigest()
open(name + ".sha256", "w").write(f"{digest}  {name}\n")
PY
)
echo "build.sh: $out/$archive"
