#!/usr/bin/env bash
# The GitHub Action's install step (action.yml): puts a sagelint binary in $SAGELINT_INSTALL_DIR.
#
# - SAGELINT_VERSION (the `version` input; empty: the action's own ref when it is a release tag
#   like v0.2.0) selects a release: its archive for the runner's OS and architecture is
#   downloaded with its .sha256 file and verified before it is unpacked.
# - With no release to download (a branch or commit of the action), it builds from the action's
#   own checkout with `cargo install --locked`.
# - SAGELINT_RELEASE_BASE (default: this repository's GitHub releases) and SAGELINT_TARGET (default:
#   from the runner) let CI here exercise the download path against a local release folder.
#
# Prints `bin=PATH` and `how=download|source|cached` to $GITHUB_OUTPUT (or stdout).
set -euo pipefail
out="${GITHUB_OUTPUT:-/dev/stdout}"
dir="${SAGELINT_INSTALL_DIR:?SAGELINT_INSTALL_DIR is not set}"
base="${SAGELINT_RELEASE_BASE:-https://github.com/sagelint/sagelint/releases/download}"

version="${SAGELINT_VERSION:-}"
if [ -z "$version" ]; then
  case "${SAGELINT_ACTION_REF:-}" in
    v[0-9]*) version="$SAGELINT_ACTION_REF" ;;
  esac
fi
version="${version#v}"

target="${SAGELINT_TARGET:-}"
if [ -z "$target" ]; then
  os="$(uname -s)"
  arch="$(uname -m)"
  case "$arch" in
    x86_64 | amd64 | AMD64) arch=x86_64 ;;
    aarch64 | arm64 | ARM64) arch=aarch64 ;;
    *) echo "sagelint: no release binary for the architecture $arch" >&2; arch="" ;;
  esac
  case "$os" in
    Linux) target="$arch-unknown-linux-musl" ;;
    Darwin) target="$arch-apple-darwin" ;;
    MINGW* | MSYS* | CYGWIN* | Windows_NT) target="$arch-pc-windows-msvc" ;;
    *) echo "sagelint: no release binary for the OS $os" >&2; target="" ;;
  esac
  case "$arch" in "") target="" ;; esac
fi
exe=sagelint
case "$target" in *windows*) exe=sagelint.exe ;; esac

if [ -n "$version" ] && [ -n "$target" ] && [ -x "$dir/bin/$exe" ]; then
  echo "bin=$dir/bin/$exe" >> "$out"
  echo "how=cached" >> "$out"
  exit 0
fi

sha256() {
  if command -v sha256sum > /dev/null; then sha256sum "$1" | cut -d' ' -f1; else shasum -a 256 "$1" | cut -d' ' -f1; fi
}

if [ -n "$version" ] && [ -n "$target" ]; then
  archive="sagelint-$target.tar.gz"
  url="$base/v$version/$archive"
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  echo "sagelint: downloading $url" >&2
  curl --fail --silent --show-error --location --retry 3 --output "$tmp/$archive" "$url"
  curl --fail --silent --show-error --location --retry 3 --output "$tmp/$archive.sha256" "$url.sha256"
  expected="$(cut -d' ' -f1 < "$tmp/$archive.sha256")"
  actual="$(sha256 "$tmp/$archive")"
  if [ "$expected" != "$actual" ]; then
    echo "sagelint: checksum mismatch for $archive: expected $expected, got $actual" >&2
    exit 1
  fi
  tar -xzf "$tmp/$archive" -C "$tmp"
  mkdir -p "$dir/bin"
  cp "$tmp/sagelint-$target/$exe" "$dir/bin/$exe"
  chmod +x "$dir/bin/$exe"
  echo "bin=$dir/bin/$exe" >> "$out"
  echo "how=download" >> "$out"
  exit 0
fi

# No release to download: an unreleased ref of the action, or a platform without a binary.
echo "sagelint: no release binary for ref '${SAGELINT_ACTION_REF:-}' on '${target:-this runner}'; building from source" >&2
cargo install --locked --quiet --path "${SAGELINT_SOURCE:?SAGELINT_SOURCE is not set}" --root "$dir"
echo "bin=$dir/bin/$exe" >> "$out"
echo "how=source" >> "$out"
