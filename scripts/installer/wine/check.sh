#!/usr/bin/env bash
# make installer-wine: runs lumbung-setup.exe under Wine, silently, and checks
# what it installs, upgrades and uninstalls. Debian's Wine 8.0 cannot start a
# Go program (the Go runtime needs bcryptprimitives.dll's ProcessPrng), so the
# installer is built here around a stand-in for lumbung.exe (standin.nsi) that
# records how the installer runs it; the real lumbung setup, upgrade and
# service commands are tested on Linux (TestSetupFromHandover,
# TestUpgradeInPlace). Needs wine and nsis (apt-get install wine nsis).
set -euo pipefail
cd "$(dirname "$0")"
command -v wine >/dev/null || { echo "installer-wine: wine not found: apt-get install wine" >&2; exit 1; }
command -v makensis >/dev/null || { echo "installer-wine: makensis not found: apt-get install nsis" >&2; exit 1; }
work=$(mktemp -d)
trap 'wineserver -k >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
export WINEPREFIX="$work/prefix" WINEDEBUG=-all
C="$WINEPREFIX/drive_c"
fail() { echo "installer-wine: FAIL: $*" >&2; exit 1; }
has() { grep -qF -- "$2" "$1" || fail "$1 lacks: $2"; }

makensis -WX -V2 -DOUTFILE="$work/standin.exe" standin.nsi
makensis -WX -V2 -DVERSION=wine-check -DBINARY="$work/standin.exe" -DOUTFILE="$work/lumbung-setup.exe" ../lumbung.nsi
wineboot -i >/dev/null 2>&1
printf 'desa=32.14.02.2001\nkecamatan=https://kecamatan.example:8443\ntoken=lmb_0123456789ABCDEFGHJKMNPQRS\npetugas=siti.aminah\nnama=Siti Aminah\nsandi=gudang padi desa 2001\n' > "$work/answers.txt"
winpath() { echo "Z:${1//\//\\}"; }

echo "== a first install, silent, with an answers file"
wine "$work/lumbung-setup.exe" /S "/ANSWERS=$(winpath "$work/answers.txt")"
has "$C/lumbung-calls.txt" 'lumbung.exe setup --answers "'
cmp -s "$C/lumbung-answers.txt" "$work/answers.txt" || fail "setup was not given the answers"
[ -f "$C/Program Files/Lumbung/lumbung.exe" ] || fail "lumbung.exe not installed"
[ -f "$C/Program Files/Lumbung/uninstall.exe" ] || fail "no uninstaller"
has "$C/users/Public/Desktop/Lumbung.url" 'URL=http://127.0.0.1:8080/'
wine reg query 'HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall\Lumbung' /v DisplayVersion | grep -q wine-check ||
  fail "not in the installed programs"
ls "$C"/users/*/Temp/*/answers.txt >/dev/null 2>&1 && fail "the answers (with the password) stay in a temporary file"
[ -f "$C/ProgramData/Lumbung/data/lumbung.json" ] || fail "no data directory"

echo "== installed again over it: an upgrade, nothing asked"
: > "$C/lumbung-calls.txt"
wine "$work/lumbung-setup.exe" /S
has "$C/lumbung-calls.txt" 'lumbung-new.exe upgrade --installed "C:\Program Files\Lumbung\lumbung.exe"'
grep -q ' setup ' "$C/lumbung-calls.txt" && fail "an upgrade ran setup again"
[ -e "$C/Program Files/Lumbung/lumbung-new.exe" ] && fail "lumbung-new.exe left behind"

echo "== uninstall, silent: the service and the program go, the data stays"
: > "$C/lumbung-calls.txt"
wine "C:\\Program Files\\Lumbung\\uninstall.exe" /S
# The uninstaller copies itself to a temporary directory and runs from there: wait for it.
for _ in $(seq 1 100); do [ -e "$C/Program Files/Lumbung/uninstall.exe" ] || break; sleep 0.1; done
wineserver -w
has "$C/lumbung-calls.txt" 'lumbung.exe service uninstall'
[ -e "$C/Program Files/Lumbung/lumbung.exe" ] && fail "lumbung.exe stays after uninstall"
[ -e "$C/users/Public/Desktop/Lumbung.url" ] && fail "the shortcut stays after uninstall"
wine reg query 'HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall\Lumbung' >/dev/null 2>&1 && fail "still in the installed programs"
[ -f "$C/ProgramData/Lumbung/data/lumbung.json" ] || fail "uninstall removed the data without being asked"

echo "== installed again (setup finds the data kept), then uninstall /S /DELETEDATA"
: > "$C/lumbung-calls.txt"
wine "$work/lumbung-setup.exe" /S "/ANSWERS=$(winpath "$work/answers.txt")"
has "$C/lumbung-calls.txt" 'lumbung.exe setup --answers "'
[ -f "$C/ProgramData/Lumbung/data/lumbung.json" ] || fail "the kept data is gone after installing again"
wine "C:\\Program Files\\Lumbung\\uninstall.exe" /S /DELETEDATA
wineserver -w
[ -e "$C/ProgramData/Lumbung" ] && fail "/DELETEDATA left the data"

echo "installer-wine: installs, upgrades and uninstalls as it should (with the stand-in binary)"
