//go:build windows

package node

import (
	"errors"
	"fmt"
	iofs "io/fs"
	"os"

	"golang.org/x/sys/windows"
)

func restrictUmask() {}

// privateDACL is the access list of a data directory, in SDDL: protected
// (P: nothing inherited from above), full control (FA) for SYSTEM (SY),
// the Administrators group (BA) and the owner (OW, the account that made
// it: the service account), inherited by files and subdirectories
// (OICI).
const privateDACL = "D:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;FA;;;OW)"

// restrict gives dir the private access list; what is under it inherits
// it.
func restrict(dir string) error {
	if _, err := os.Stat(dir); errors.Is(err, iofs.ErrNotExist) {
		return nil
	}
	sd, err := windows.SecurityDescriptorFromString(privateDACL)
	if err != nil {
		return fmt.Errorf("node: keep %s private: %w", dir, err)
	}
	dacl, _, err := sd.DACL()
	if err != nil {
		return fmt.Errorf("node: keep %s private: %w", dir, err)
	}
	err = windows.SetNamedSecurityInfo(dir, windows.SE_FILE_OBJECT,
		windows.DACL_SECURITY_INFORMATION|windows.PROTECTED_DACL_SECURITY_INFORMATION, nil, nil, dacl, nil)
	if err != nil {
		return fmt.Errorf("node: keep %s private: %w", dir, err)
	}
	return nil
}
