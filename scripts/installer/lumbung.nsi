; lumbung-setup.exe: Lumbung for a desa laptop on Windows, built on Linux by
; `make release` with Debian's nsis (scripts/release.sh):
;   makensis -DVERSION=<release> -DBINARY=<lumbung.exe> -DOUTFILE=<setup.exe> lumbung.nsi
;
; A first install asks for the desa code, the kecamatan's address and the
; enrolment token (or reads them from the file the kecamatan hands over:
; lumbung enroll --file), then for the officer who installs; it runs
; `lumbung setup`, which makes the data directory under
; %ProgramData%\Lumbung, the office's first admin and that officer, and
; installs and starts the Windows service. It shows the admin's one-time
; password and the recovery key once, puts a shortcut on the desktop and
; opens the officer screens in the browser.
;
; Installed over an older release, it asks nothing: the new binary runs
; `lumbung upgrade`, which stops the service, keeps the data, starts the
; new release on it and rolls back to the old one if it is not ready.
;
; Uninstall removes the service and the program; the data stays unless
; the officer says to remove it too.
;
; Silent: lumbung-setup.exe /S /ANSWERS=C:\path\answers.txt (key=value:
; desa, kecamatan, token, petugas, nama, sandi); uninstall.exe /S keeps
; the data, uninstall.exe /S /DELETEDATA removes it.

; A 64-bit installer for the 64-bit binary (Debian's nsis has the amd64 stubs).
Target amd64-unicode
SetCompressor /SOLID lzma
; No file times in the installer: two builds of one commit are the same bytes.
SetDateSave off
RequestExecutionLevel admin

!ifndef VERSION
  !define VERSION "dev"
!endif
!ifndef BINARY
  !error "give -DBINARY=path of lumbung.exe"
!endif
!ifndef OUTFILE
  !define OUTFILE "lumbung-setup.exe"
!endif
!define URL "http://127.0.0.1:8080/"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\Lumbung"

Name "Lumbung ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\Lumbung"
BrandingText "Lumbung ${VERSION}"

!include "MUI2.nsh"
!include "nsDialogs.nsh"
!include "LogicLib.nsh"
!include "FileFunc.nsh"

Var Upgrade      ; 1 when a set-up laptop is upgraded
Var Answers      ; the answers file given on the command line (/ANSWERS=)
Var HandOver     ; the kecamatan's file chosen on the desa page
Var Desa
Var Upstream
Var Token
Var Officer
Var OfficerName
Var Password
Var Password2
Var hDesa
Var hUpstream
Var hToken
Var hFile
Var hOfficer
Var hOfficerName
Var hPassword
Var hPassword2
Var DeleteData

!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN
!define MUI_FINISHPAGE_RUN_TEXT "Buka layar petugas Lumbung"
!define MUI_FINISHPAGE_RUN_FUNCTION OpenScreens

!insertmacro MUI_PAGE_WELCOME
!define MUI_PAGE_CUSTOMFUNCTION_PRE SkipOnUpgrade
!insertmacro MUI_PAGE_DIRECTORY
Page custom DesaPage DesaLeave
Page custom OfficerPage OfficerLeave
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "Indonesian"
!insertmacro MUI_LANGUAGE "English"

Function .onInit
  ; $APPDATA is then %ProgramData%, where the service keeps Lumbung's data.
  SetShellVarContext all
  SetRegView 64
  StrCpy $Upgrade 0
  ReadRegStr $0 HKLM "${UNINST_KEY}" "InstallLocation"
  ${If} $0 != ""
    StrCpy $INSTDIR $0
  ${EndIf}
  ${If} ${FileExists} "$INSTDIR\lumbung.exe"
  ${AndIf} ${FileExists} "$APPDATA\Lumbung\data\lumbung.json"
    StrCpy $Upgrade 1
  ${EndIf}
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/ANSWERS=" $Answers
  ${If} ${Errors}
    StrCpy $Answers ""
  ${EndIf}
FunctionEnd

Function SkipOnUpgrade
  ${If} $Upgrade == 1
    Abort
  ${EndIf}
FunctionEnd

Function DesaPage
  ${If} $Upgrade == 1
  ${OrIf} $Answers != ""
    Abort
  ${EndIf}
  !insertmacro MUI_HEADER_TEXT "Desa dan kecamatan" "Dari berkas pendaftaran yang diberikan kecamatan, atau isi sendiri."
  nsDialogs::Create 1018
  Pop $0
  ${NSD_CreateLabel} 0 0 100% 12u "Berkas pendaftaran dari kecamatan (boleh kosong bila mengisi di bawah):"
  ${NSD_CreateFileRequest} 0 13u 75% 12u ""
  Pop $hFile
  ${NSD_CreateBrowseButton} 77% 13u 23% 12u "Pilih…"
  Pop $0
  ${NSD_OnClick} $0 BrowseHandOver
  ${NSD_CreateLabel} 0 34u 100% 10u "Kode desa (mis. 32.14.01.2001):"
  ${NSD_CreateText} 0 45u 100% 12u "$Desa"
  Pop $hDesa
  ${NSD_CreateLabel} 0 62u 100% 10u "Alamat kecamatan (mis. https://kecamatan.example:8443):"
  ${NSD_CreateText} 0 73u 100% 12u "$Upstream"
  Pop $hUpstream
  ${NSD_CreateLabel} 0 90u 100% 10u "Token pendaftaran:"
  ${NSD_CreateText} 0 101u 100% 12u "$Token"
  Pop $hToken
  nsDialogs::Show
FunctionEnd

Function BrowseHandOver
  nsDialogs::SelectFileDialog open "" "Berkas teks|*.txt|Semua berkas|*.*"
  Pop $0
  ${If} $0 != ""
    ${NSD_SetText} $hFile $0
  ${EndIf}
FunctionEnd

Function DesaLeave
  ${NSD_GetText} $hFile $HandOver
  ${NSD_GetText} $hDesa $Desa
  ${NSD_GetText} $hUpstream $Upstream
  ${NSD_GetText} $hToken $Token
  ${If} $HandOver != ""
    ${IfNot} ${FileExists} $HandOver
      MessageBox MB_ICONEXCLAMATION "Berkas $HandOver tidak ada."
      Abort
    ${EndIf}
  ${ElseIf} $Desa == ""
  ${OrIf} $Upstream == ""
  ${OrIf} $Token == ""
    MessageBox MB_ICONEXCLAMATION "Pilih berkas pendaftaran dari kecamatan, atau isi kode desa, alamat kecamatan dan token."
    Abort
  ${EndIf}
FunctionEnd

Function OfficerPage
  ${If} $Upgrade == 1
  ${OrIf} $Answers != ""
    Abort
  ${EndIf}
  !insertmacro MUI_HEADER_TEXT "Petugas pertama" "Petugas yang memasang; ia yang mencatat pengaduan di laptop ini."
  nsDialogs::Create 1018
  Pop $0
  ${NSD_CreateLabel} 0 0 100% 10u "Nama pengguna (huruf kecil, mis. siti.aminah):"
  ${NSD_CreateText} 0 11u 100% 12u "$Officer"
  Pop $hOfficer
  ${NSD_CreateLabel} 0 28u 100% 10u "Nama lengkap:"
  ${NSD_CreateText} 0 39u 100% 12u "$OfficerName"
  Pop $hOfficerName
  ${NSD_CreateLabel} 0 56u 100% 10u "Kata sandi (paling sedikit 10 huruf):"
  ${NSD_CreatePassword} 0 67u 100% 12u ""
  Pop $hPassword
  ${NSD_CreateLabel} 0 84u 100% 10u "Ulangi kata sandi:"
  ${NSD_CreatePassword} 0 95u 100% 12u ""
  Pop $hPassword2
  nsDialogs::Show
FunctionEnd

Function OfficerLeave
  ${NSD_GetText} $hOfficer $Officer
  ${NSD_GetText} $hOfficerName $OfficerName
  ${NSD_GetText} $hPassword $Password
  ${NSD_GetText} $hPassword2 $Password2
  ${If} $Officer == ""
  ${OrIf} $OfficerName == ""
    MessageBox MB_ICONEXCLAMATION "Isi nama pengguna dan nama lengkap petugas."
    Abort
  ${EndIf}
  ${If} $Password != $Password2
    MessageBox MB_ICONEXCLAMATION "Kedua kata sandi tidak sama."
    Abort
  ${EndIf}
FunctionEnd

; WriteAnswers writes what the pages collected for lumbung setup, in a
; file of the installer's own temporary directory, deleted after setup.
Function WriteAnswers
  ${If} $HandOver != ""
    CopyFiles /SILENT "$HandOver" "$PLUGINSDIR\answers.txt"
    FileOpen $0 "$PLUGINSDIR\answers.txt" a
    FileSeek $0 0 END
    FileWrite $0 "$\r$\n"
  ${Else}
    FileOpen $0 "$PLUGINSDIR\answers.txt" w
    FileWrite $0 "desa=$Desa$\r$\nkecamatan=$Upstream$\r$\ntoken=$Token$\r$\n"
  ${EndIf}
  FileWrite $0 "petugas=$Officer$\r$\nnama=$OfficerName$\r$\nsandi=$Password$\r$\n"
  FileClose $0
  StrCpy $Password ""
  StrCpy $Password2 ""
FunctionEnd

Section "Lumbung" SecMain
  SectionIn RO
  SetOutPath "$INSTDIR"
  InitPluginsDir
  ${If} $Upgrade == 1
    DetailPrint "Memperbarui Lumbung ke ${VERSION}; data tetap."
    File "/oname=lumbung-new.exe" "${BINARY}"
    nsExec::ExecToLog '"$INSTDIR\lumbung-new.exe" upgrade --installed "$INSTDIR\lumbung.exe"'
    Pop $0
    Delete "$INSTDIR\lumbung-new.exe"
    ${If} $0 != 0
      MessageBox MB_ICONEXCLAMATION "Pembaruan dibatalkan: rilis baru tidak siap. Rilis lama berjalan lagi dan data tetap seperti sebelumnya; desa tetap dapat menerima pengaduan. Hubungi kecamatan." /SD IDOK
      SetErrorLevel 2
      Abort
    ${EndIf}
  ${Else}
    File "/oname=lumbung.exe" "${BINARY}"
    ${If} $Answers != ""
      CopyFiles /SILENT "$Answers" "$PLUGINSDIR\answers.txt"
    ${Else}
      Call WriteAnswers
    ${EndIf}
    nsExec::ExecToStack '"$INSTDIR\lumbung.exe" setup --answers "$PLUGINSDIR\answers.txt"'
    Pop $0
    Pop $1
    Delete "$PLUGINSDIR\answers.txt"
    ${If} $0 != 0
      MessageBox MB_ICONSTOP "Lumbung belum dapat disiapkan:$\r$\n$1" /SD IDOK
      SetErrorLevel 2
      Abort
    ${EndIf}
    ; The admin's one-time password and the recovery key, shown once:
    ; to be written on paper and kept at the office.
    MessageBox MB_ICONINFORMATION "Lumbung siap. CATAT DI KERTAS dan simpan di kantor desa:$\r$\n$\r$\n$1" /SD IDOK
  ${EndIf}
  WriteUninstaller "$INSTDIR\uninstall.exe"
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayName" "Lumbung"
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINST_KEY}" "Publisher" "Lumbung"
  WriteRegStr HKLM "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINST_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegDWORD HKLM "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINST_KEY}" "NoRepair" 1
  SetShellVarContext all
  WriteINIStr "$DESKTOP\Lumbung.url" "InternetShortcut" "URL" "${URL}"
SectionEnd

Function OpenScreens
  ExecShell "open" "${URL}"
FunctionEnd

Function un.onInit
  SetShellVarContext all
  SetRegView 64
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/DELETEDATA" $R1
  ${If} ${Errors}
    StrCpy $DeleteData 0
  ${Else}
    StrCpy $DeleteData 1
  ${EndIf}
FunctionEnd

Section "Uninstall"
  nsExec::ExecToLog '"$INSTDIR\lumbung.exe" service uninstall'
  Pop $0
  Delete "$INSTDIR\lumbung.exe"
  Delete "$INSTDIR\lumbung.exe.previous"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  SetShellVarContext all
  Delete "$DESKTOP\Lumbung.url"
  DeleteRegKey HKLM "${UNINST_KEY}"
  ${If} $DeleteData != 1
    MessageBox MB_YESNO|MB_DEFBUTTON2|MB_ICONQUESTION "Hapus juga SEMUA data Lumbung di laptop ini (pengaduan, monografi)? Pilih Tidak untuk menyimpannya." /SD IDNO IDNO keep
  ${EndIf}
  RMDir /r "$APPDATA\Lumbung"
  keep:
SectionEnd
