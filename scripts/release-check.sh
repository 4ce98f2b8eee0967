#!/usr/bin/env bash
# Builds the release of this commit twice, in two directories, and says
# whether every file is the same bytes (make release-check).
set -euo pipefail
cd "$(dirname "$0")/.."
a=$(mktemp -d); b=$(mktemp -d)
trap 'rm -rf "$a" "$b"' EXIT
DIST="$a" scripts/release.sh >/dev/null
GOCACHE=$(mktemp -d) DIST="$b" scripts/release.sh >/dev/null   # the second from a cold build cache
if diff <(cd "$a" && cat SHA256SUMS) <(cd "$b" && cat SHA256SUMS); then
  echo "release-check: reproducible: $(wc -l < "$a/SHA256SUMS") files, the same bytes in two builds"
else
  echo "release-check: NOT reproducible (above: the files that differ)" >&2
  exit 1
fi
