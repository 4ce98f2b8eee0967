; A stand-in for lumbung.exe, for checking the installer under Wine: Debian's
; Wine 8.0 cannot start a Go program (its runtime needs bcryptprimitives.dll's
; ProcessPrng, which this Wine lacks). It records each way the installer runs
; it in C:\lumbung-calls.txt and, for setup, keeps a copy of the answers
; and makes the data directory's configuration as lumbung setup would.
Target amd64-unicode
SilentInstall silent
RequestExecutionLevel admin
OutFile "${OUTFILE}"
!include "FileFunc.nsh"
!include "LogicLib.nsh"

Section
  SetShellVarContext all
  ${GetParameters} $0
  FileOpen $1 "C:\lumbung-calls.txt" a
  FileSeek $1 0 END
  FileWrite $1 "$EXEFILE $0$\r$\n"
  FileClose $1
  StrCpy $2 $0 5
  ${If} $2 == "setup"
    ClearErrors
    ${GetOptions} $0 "--answers" $3
    CopyFiles /SILENT "$3" "C:\lumbung-answers.txt"
    CreateDirectory "$APPDATA\Lumbung\data"
    FileOpen $1 "$APPDATA\Lumbung\data\lumbung.json" w
    FileWrite $1 "{}"
    FileClose $1
  ${EndIf}
SectionEnd
