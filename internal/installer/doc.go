// Package installer holds the checks of the Windows installer for a desa
// laptop, lumbung-setup.exe, which scripts/installer/lumbung.nsi defines
// and `make release` builds with Debian's nsis. It has no code of its
// own: its test builds the installer and reads it back.
package installer
