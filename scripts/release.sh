#!/usr/bin/env bash
# make release: the release of this commit into ${DIST:-dist}/ —
#   lumbung-<release>-<os>-<arch>[.exe] for windows/amd64, linux/amd64, linux/arm64,
#   lumbung-setup.exe, the installer for a desa laptop on Windows (NSIS),
#   lumbung_<version>_<arch>.deb for linux/amd64 and linux/arm64 (kecamatan and kabupaten servers),
#   SHA256SUMS of them all.
# Reproducible: the same commit gives the same bytes (scripts/release-check.sh builds it twice and
# compares). Binaries are built with -trimpath, no build id, no cgo; the .deb's files carry the
# commit's time (SOURCE_DATE_EPOCH) and root ownership.
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
DIST=${DIST:-dist}
RELEASE=${RELEASE:-$(git describe --tags --always --dirty 2>/dev/null || echo dev)}
COMMIT=${COMMIT:-$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)}
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 0)}
LDFLAGS="-s -w -buildid= -X github.com/lumbung/lumbung/version.Release=${RELEASE} -X github.com/lumbung/lumbung/version.Commit=${COMMIT}"

rm -rf "$DIST"
mkdir -p "$DIST"
for target in windows/amd64 linux/amd64 linux/arm64; do
  os=${target%/*}; arch=${target#*/}
  ext=""; [ "$os" = windows ] && ext=".exe"
  CGO_ENABLED=0 GOOS=$os GOARCH=$arch GOFLAGS=-buildvcs=false \
    "$GO" build -trimpath -ldflags "$LDFLAGS" -o "$DIST/lumbung-${RELEASE}-${os}-${arch}${ext}" ./cmd/lumbung
done

# The installer for a desa laptop (scripts/installer/lumbung.nsi), with Debian's nsis; warnings
# are errors. Files carry no dates in it (SetDateSave off), so it is the same bytes each time.
command -v makensis >/dev/null 2>&1 || { echo "release: makensis not found: apt-get install nsis" >&2; exit 1; }
makensis -WX -V2 -DVERSION="${RELEASE}" -DBINARY="$(cd "$DIST" && pwd)/lumbung-${RELEASE}-windows-amd64.exe" \
  -DOUTFILE="$(cd "$DIST" && pwd)/lumbung-setup.exe" scripts/installer/lumbung.nsi

# A Debian version must start with a digit.
version=${RELEASE#v}
case "$version" in [0-9]*) ;; *) version="0.0.0+${version}" ;; esac
for arch in amd64 arm64; do
  root=$(mktemp -d)
  install -D -m 0755 "$DIST/lumbung-${RELEASE}-linux-${arch}" "$root/usr/bin/lumbung"
  install -D -m 0644 README.md "$root/usr/share/doc/lumbung/README.md"
  mkdir -p "$root/DEBIAN"
  cat > "$root/DEBIAN/control" <<CONTROL
Package: lumbung
Version: ${version}
Architecture: ${arch}
Maintainer: Lumbung <lumbung@localhost>
Section: net
Priority: optional
Description: sync server for village government (desa, kecamatan, kabupaten)
 Complaints and the village monograph, kept where they are taken and
 replicated upward over bad links. After installing, a server runs:
 lumbung init …, then lumbung service install --data /var/lib/lumbung.
CONTROL
  find "$root" -exec touch -h -d "@${SOURCE_DATE_EPOCH}" {} +
  dpkg-deb --root-owner-group -Zxz --build "$root" "$DIST/lumbung_${version}_${arch}.deb" >/dev/null
  rm -rf "$root"
done

(cd "$DIST" && sha256sum -- * > SHA256SUMS)
cat "$DIST/SHA256SUMS"
