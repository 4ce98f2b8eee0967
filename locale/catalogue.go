package locale

import (
	"fmt"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
)

// Text is one message in Indonesian and in English. A Text made by
// Key.Text is complete; one built from parts elsewhere (a value a peer
// sent) is shown as it is.
type Text struct {
	ID string `json:"id"`
	EN string `json:"en"`
}

// In returns the message in l; English falls back to Indonesian when it
// is missing.
func (t Text) In(l Lang) string {
	if l == EN && t.EN != "" {
		return t.EN
	}
	return t.ID
}

// Key names one message in the catalogue.
type Key string

// Text returns the message, formatted with args in both languages; an
// argument that is itself a Text gives its Indonesian to the Indonesian
// and its English to the English. A key not in the catalogue is its own
// text, so a mistake shows.
func (k Key) Text(args ...any) Text {
	t, ok := defined.lookup(string(k))
	if !ok {
		t = Text{string(k), string(k)}
	}
	if len(args) == 0 {
		return t
	}
	return Text{ID: format(t.ID, in(ID, args)), EN: format(t.EN, in(EN, args))}
}

// format is fmt.Sprintf, except that a language whose text takes no value
// (the other one does) is left as it is.
func format(f string, args []any) string {
	if !strings.Contains(f, "%") {
		return f
	}
	return fmt.Sprintf(f, args...)
}

// in returns args with each Text in them put in l.
func in(l Lang, args []any) []any {
	out := make([]any, len(args))
	for i, a := range args {
		if t, ok := a.(Text); ok {
			a = t.In(l)
		}
		out[i] = a
	}
	return out
}

// In returns the message in l, formatted with args.
func (k Key) In(l Lang, args ...any) string { return k.Text(args...).In(l) }

// Define adds one message to the catalogue and returns its key. Call it
// from a package-level var or init, once per key.
func Define(key, id, en string) Key {
	defined.add(key, Text{ID: id, EN: en}, caller())
	return Key(key)
}

// DefineAll adds a table of messages to the catalogue, as Define does
// for each: key → {Indonesian, English}.
func DefineAll(table map[string][2]string) {
	at := caller()
	for k, t := range table {
		defined.add(k, Text{ID: t[0], EN: t[1]}, at)
	}
}

// Lookup returns the message under key, unformatted.
func Lookup(key string) (Text, bool) { return defined.lookup(key) }

// Check walks every message defined and returns one error per key
// defined more than once, per language left empty, and per message whose
// two languages do not take the same fmt verbs in the same order (unless
// every verb names its argument, as in %[2]s).
func Check() []error { return defined.check() }

// caller names where Define or DefineAll was called from: the file in
// its directory, and the line.
func caller() string {
	_, file, line, ok := runtime.Caller(2)
	if !ok {
		return "?"
	}
	return fmt.Sprintf("%s:%d", filepath.Join(filepath.Base(filepath.Dir(file)), filepath.Base(file)), line)
}

// defined is the catalogue of the running program.
var defined = &catalogue{index: map[string]int{}}

// A catalogue keeps every definition, the repeated ones too, so Check can
// name both places of a key defined twice; lookups see the first.
type catalogue struct {
	mu      sync.RWMutex
	entries []entry
	index   map[string]int // key → its first entry
}

// An entry is one definition of a key.
type entry struct {
	key  string
	text Text
	at   string // file:line of the definition
}

func (c *catalogue) add(key string, t Text, at string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.index[key]; !ok {
		c.index[key] = len(c.entries)
	}
	c.entries = append(c.entries, entry{key: key, text: t, at: at})
}

func (c *catalogue) lookup(key string) (Text, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	i, ok := c.index[key]
	if !ok {
		return Text{}, false
	}
	return c.entries[i].text, true
}

// verbs matches a fmt verb, with an explicit argument index and a width
// or precision if any.
var verbs = regexp.MustCompile(`%(\[\d+\])?[-+#0]*[0-9.]*[a-zA-Z]`)

// verbsOf lists the verbs of a format, leaving out the escaped %%.
func verbsOf(format string) []string {
	return verbs.FindAllString(strings.ReplaceAll(format, "%%", ""), -1)
}

// indexed says whether every verb names its argument (%[2]s): then the
// two languages may use the arguments in any order, or leave some out.
func indexed(verbs []string) bool {
	for _, v := range verbs {
		if !strings.HasPrefix(v, "%[") {
			return false
		}
	}
	return true
}

func (c *catalogue) check() []error {
	c.mu.RLock()
	defer c.mu.RUnlock()
	var errs []error
	for i, e := range c.entries {
		if first := c.index[e.key]; first != i {
			errs = append(errs, fmt.Errorf("locale: %q is defined twice: at %s and at %s", e.key, c.entries[first].at, e.at))
			continue
		}
		if e.text.ID == "" {
			errs = append(errs, fmt.Errorf("locale: %q (%s) has no Indonesian text", e.key, e.at))
		}
		if e.text.EN == "" {
			errs = append(errs, fmt.Errorf("locale: %q (%s) has no English text", e.key, e.at))
		}
		if a, b := verbsOf(e.text.ID), verbsOf(e.text.EN); !slices.Equal(a, b) && !(indexed(a) && indexed(b)) {
			errs = append(errs, fmt.Errorf("locale: %q (%s) takes %v in Indonesian but %v in English", e.key, e.at, a, b))
		}
	}
	sort.Slice(errs, func(i, j int) bool { return errs[i].Error() < errs[j].Error() })
	return errs
}
