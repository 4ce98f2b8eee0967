package schema

import "time"

// Channel is how a complaint reached the office.
type Channel string

// Channels lists the channels of PRODUCT.md.
var Channels = []Channel{"walk_in", "phone", "sms", "whatsapp", "letter", "web", "lapor"}

// Category is what a complaint is about. The built-in list can be extended
// by a kabupaten; the extension flows down as reference data.
type Category string

// Categories lists the built-in categories.
var Categories = []Category{"infrastruktur", "kesehatan", "pendidikan", "administrasi_kependudukan",
	"bantuan_sosial", "lingkungan", "keamanan_ketertiban", "pelayanan_publik", "ekonomi", "lainnya"}

// Classification tells a complaint from an aspiration or an information
// request, as SP4N-LAPOR! does.
type Classification string

// Classifications lists the classifications; the first is the default.
var Classifications = []Classification{"complaint", "aspiration", "information_request"}

// RejectReasons lists why a complaint may be rejected.
var RejectReasons = []string{"not_authority", "not_complaint", "duplicate"}

// Location is where the matter is, inside the complaint's desa.
type Location struct {
	Address string   `json:"address,omitempty"`
	RT      string   `json:"rt,omitempty"`
	RW      string   `json:"rw,omitempty"`
	Lat     *float64 `json:"lat,omitempty"`
	Lon     *float64 `json:"lon,omitempty"`
}

// Reporter is who complained. When Anonymous, Name, NIK and Phone never
// enter a change: they are kept as a local-only record on the desa node.
// Confidential keeps the whole report out of every public view.
type Reporter struct {
	Name         string `json:"name,omitempty"`
	NIK          string `json:"nik,omitempty"`
	Phone        string `json:"phone,omitempty"`
	Anonymous    bool   `json:"anonymous"`
	Confidential bool   `json:"confidential"`
	// Sealed says an ordinary reporter's identity travels sealed, never
	// in clear: as Ciphertext, or (sealed again, or erased) as an entity
	// of its own beside the complaint.
	Sealed bool `json:"sealed,omitempty"`
	// Ciphertext is the identity as the office that took the complaint
	// sealed it (an epoch's value, package seal). It is in the create
	// change and the replicated state; a node opens it, and clears it, as
	// it shows the complaint.
	Ciphertext []byte `json:"ciphertext,omitempty"`
	// IdentityLocked says the identity is held here, sealed, and the
	// office's key is locked until an officer logs in (never replicated:
	// a node sets it as it shows the complaint).
	IdentityLocked bool `json:"identity_locked,omitempty"`
	// IdentityErased says the reporter's identity was erased (UU 27/2022):
	// the complaint stays, its reporter never reads again. Set by a node
	// as it shows the complaint, like IdentityLocked.
	IdentityErased bool `json:"identity_erased,omitempty"`
}

// HasIdentity says whether r carries a name, NIK or phone in clear.
func (r Reporter) HasIdentity() bool { return r.Name != "" || r.NIK != "" || r.Phone != "" }

// Identity returns the reporter's identifying fields only.
func (r Reporter) Identity() Reporter { return Reporter{Name: r.Name, NIK: r.NIK, Phone: r.Phone} }

// Stripped returns r without identity, as it travels when anonymous.
func (r Reporter) Stripped() Reporter {
	if !r.Anonymous {
		return r
	}
	return Reporter{Anonymous: true, Confidential: r.Confidential}
}

// Flags returns r without identity, whatever it is: what a complaint
// records of a reporter whose identity is sealed apart or erased.
func (r Reporter) Flags() Reporter {
	return Reporter{Anonymous: r.Anonymous, Confidential: r.Confidential, Sealed: r.Sealed}
}

// ComplaintInput is what an officer submits to take a complaint.
type ComplaintInput struct {
	Region         Code           `json:"region"`
	Channel        Channel        `json:"channel"`
	Category       Category       `json:"category"`
	Classification Classification `json:"classification,omitempty"`
	Title          string         `json:"title"`
	Description    string         `json:"description"`
	Location       Location       `json:"location"`
	Reporter       Reporter       `json:"reporter"`
	Officer        string         `json:"officer,omitempty"`
}

// CreateBody is the body of a complaint.create change. Reporter is
// already stripped of identity when anonymous.
type CreateBody struct {
	ID             string         `json:"id"`
	Region         Code           `json:"region"`
	Channel        Channel        `json:"channel"`
	Category       Category       `json:"category"`
	Classification Classification `json:"classification"`
	Title          string         `json:"title"`
	Description    string         `json:"description"`
	Location       Location       `json:"location"`
	Reporter       Reporter       `json:"reporter"`
}

// ActionInput is what an officer submits to act on a complaint; it is
// also the body of a complaint.action change.
type ActionInput struct {
	Action  Action `json:"action"`
	Note    string `json:"note,omitempty"`
	Unit    string `json:"unit,omitempty"`
	Reason  string `json:"reason,omitempty"`
	Officer string `json:"officer,omitempty"`
}

// ActionRecord is one entry of a complaint's history. An action that was
// valid where it was taken but is not in the fold order (a concurrent
// edit elsewhere won) stays, marked Superseded with the reason.
type ActionRecord struct {
	Action     Action `json:"action"`
	Note       string `json:"note,omitempty"`
	Unit       string `json:"unit,omitempty"`
	Reason     string `json:"reason,omitempty"`
	Actor      string `json:"actor"`
	At         string `json:"at"`
	Origin     string `json:"origin"`
	Seq        uint64 `json:"seq"`
	From       Status `json:"from"`
	To         Status `json:"to"`
	Superseded string `json:"superseded,omitempty"`
	// NotUnderstood marks a change a newer version made (its Op, or a
	// field of its body, is unknown here): kept and shown, not folded.
	NotUnderstood bool `json:"not_understood,omitempty"`
	// Op is the op of a change not understood.
	Op Op `json:"op,omitempty"`
}

// Complaint is the replicated state of a complaint: the fold of its
// changes. It is identical on every node that holds the same changes.
type Complaint struct {
	ID             string         `json:"id"`
	Region         Code           `json:"region"`
	Channel        Channel        `json:"channel"`
	Category       Category       `json:"category"`
	Classification Classification `json:"classification"`
	Title          string         `json:"title"`
	Description    string         `json:"description"`
	Location       Location       `json:"location"`
	Reporter       Reporter       `json:"reporter"`
	Status         Status         `json:"status"`
	HeldFrom       Status         `json:"held_from,omitempty"` // the status before on_hold
	CreatedAt      string         `json:"created_at"`
	UpdatedAt      string         `json:"updated_at"`
	CreatedWall    int64          `json:"created_ms"`
	Actions        []ActionRecord `json:"actions"`
}

// FormatWall renders wall milliseconds as RFC 3339 in UTC.
func FormatWall(ms int64) string {
	return time.UnixMilli(ms).UTC().Format("2006-01-02T15:04:05.000Z07:00")
}

// PublicComplaint is what anyone may see of a complaint that is not
// confidential: what was reported, where (the desa, not the address) and
// how it was handled. Nothing about the reporter, and no note an officer
// wrote, since notes may name people.
type PublicComplaint struct {
	ID             string         `json:"id"`
	Region         Code           `json:"region"`
	Channel        Channel        `json:"channel"`
	Category       Category       `json:"category"`
	Classification Classification `json:"classification"`
	Title          string         `json:"title"`
	Description    string         `json:"description"`
	Status         Status         `json:"status"`
	CreatedAt      string         `json:"created_at"`
	UpdatedAt      string         `json:"updated_at"`
	History        []PublicStep   `json:"history"`
}

// PublicStep is one step of a complaint's handling in the public view.
type PublicStep struct {
	To Status `json:"status"`
	At string `json:"at"`
}

// Public returns the public view of c, and false for a confidential
// complaint, which has none.
func (c *Complaint) Public() (*PublicComplaint, bool) {
	if c.Reporter.Confidential {
		return nil, false
	}
	p := &PublicComplaint{ID: c.ID, Region: c.Region, Channel: c.Channel, Category: c.Category,
		Classification: c.Classification, Title: c.Title, Description: c.Description, Status: c.Status,
		CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt, History: []PublicStep{}}
	for _, a := range c.Actions {
		if a.Superseded == "" {
			p.History = append(p.History, PublicStep{To: a.To, At: a.At})
		}
	}
	return p, true
}
