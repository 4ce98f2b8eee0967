package wire

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/lumbung/lumbung/schema"
)

// payloadReader reads sections and numbers from a peer's payload; every
// size is checked against what is left before it is used.
type payloadReader struct{ p []byte }

func (r *payloadReader) uvarint() (uint64, error) {
	v, n := binary.Uvarint(r.p)
	if n <= 0 {
		return 0, fmt.Errorf("%w: a number is cut or too long", ErrMessage)
	}
	r.p = r.p[n:]
	return v, nil
}

func (r *payloadReader) varint() (int64, error) {
	v, n := binary.Varint(r.p)
	if n <= 0 {
		return 0, fmt.Errorf("%w: a number is cut or too long", ErrMessage)
	}
	r.p = r.p[n:]
	return v, nil
}

func (r *payloadReader) section() (*payloadReader, error) {
	n, err := r.uvarint()
	if err != nil {
		return nil, err
	}
	if n > uint64(len(r.p)) {
		return nil, fmt.Errorf("%w: a section claims %d bytes of %d left", ErrMessage, n, len(r.p))
	}
	s := &payloadReader{p: r.p[:n]}
	r.p = r.p[n:]
	return s, nil
}

func (r *payloadReader) done(what string) error {
	if len(r.p) != 0 {
		return fmt.Errorf("%w: %d bytes left over in %s", ErrMessage, len(r.p), what)
	}
	return nil
}

// strReader reads a table-coded string column.
type strReader struct {
	refs, literals *payloadReader
	seen           [][]byte
}

func readStrColumn(r *payloadReader) (*strReader, error) {
	refs, err := r.section()
	if err != nil {
		return nil, err
	}
	lits, err := r.section()
	if err != nil {
		return nil, err
	}
	return &strReader{refs: refs, literals: lits}, nil
}

// next returns the next raw value of the column.
func (c *strReader) next() ([]byte, error) {
	k, err := c.refs.uvarint()
	if err != nil {
		return nil, err
	}
	if k > 0 {
		if k > uint64(len(c.seen)) {
			return nil, fmt.Errorf("%w: a value refers to entry %d of %d", ErrMessage, k, len(c.seen))
		}
		return c.seen[k-1], nil
	}
	end := bytes.IndexByte(c.literals.p, 0)
	if end < 0 {
		return nil, fmt.Errorf("%w: a text is not terminated", ErrMessage)
	}
	v := c.literals.p[:end:end]
	c.literals.p = c.literals.p[end+1:]
	c.seen = append(c.seen, v)
	return v, nil
}

func (c *strReader) done(what string) error {
	if err := c.refs.done(what); err != nil {
		return err
	}
	return c.literals.done(what)
}

// unescape turns a column's JSON-escaped text back into a string.
func unescape(raw []byte) (string, error) {
	if bytes.IndexByte(raw, '\\') < 0 {
		return string(raw), nil
	}
	var s string
	if err := json.Unmarshal(append(append([]byte{'"'}, raw...), '"'), &s); err != nil {
		return "", fmt.Errorf("%w: a text is badly escaped", ErrMessage)
	}
	return s, nil
}

// DecodeBatch decodes and checks a Changes payload: every change must
// decode and pass schema's checks, or the batch is refused whole.
func DecodeBatch(p []byte) (*Batch, error) {
	r := &payloadReader{p: p}
	last, err := r.uvarint()
	if err != nil {
		return nil, err
	}
	n, err := r.uvarint()
	if err != nil {
		return nil, err
	}
	if n > uint64(len(r.p)) {
		return nil, fmt.Errorf("%w: a batch claims %d changes in %d bytes", ErrMessage, n, len(r.p))
	}
	var h headers
	if h.origins, err = readStrColumn(r); err != nil {
		return nil, err
	}
	for _, s := range []**payloadReader{&h.seqs, &h.walls, &h.logicals} {
		if *s, err = r.section(); err != nil {
			return nil, err
		}
	}
	for _, c := range h.texts() {
		if *c, err = readStrColumn(r); err != nil {
			return nil, err
		}
	}
	shape, err := r.section()
	if err != nil {
		return nil, err
	}
	ncols, err := r.uvarint()
	if err != nil {
		return nil, err
	}
	if ncols > uint64(len(r.p)) {
		return nil, fmt.Errorf("%w: a batch claims %d columns in %d bytes", ErrMessage, ncols, len(r.p))
	}
	d := &bodyBuilder{shape: shape, cols: map[uint64]*strReader{}, lastSeq: map[schema.Origin]uint64{}}
	for i := uint64(0); i < ncols; i++ {
		id, err := r.uvarint()
		if err != nil {
			return nil, err
		}
		if d.cols[id] != nil {
			return nil, fmt.Errorf("%w: column %d appears twice", ErrMessage, id)
		}
		if d.cols[id], err = readStrColumn(r); err != nil {
			return nil, err
		}
	}
	if err := r.done("the batch"); err != nil {
		return nil, err
	}
	b := &Batch{Last: last, Changes: make([]*schema.Change, 0, n)}
	size := 0
	for i := uint64(0); i < n; i++ {
		c, err := d.change(&h)
		if err != nil {
			return nil, fmt.Errorf("%w (change %d)", err, i+1)
		}
		if err := c.Check(); err != nil {
			return nil, fmt.Errorf("%w: change %d: %w", ErrMessage, i+1, err)
		}
		// References let a small payload name a large text many times;
		// what it rebuilds is bounded as a whole, not only per change.
		if size += len(c.Body) + len(c.Entity) + len(c.Actor); size > MaxBatchBytes {
			return nil, fmt.Errorf("%w: a batch rebuilds to more than %d bytes", ErrMessage, MaxBatchBytes)
		}
		b.Changes = append(b.Changes, c)
	}
	if err := h.origins.done("the origins"); err != nil {
		return nil, err
	}
	for _, c := range h.texts() {
		if err := (*c).done("the header texts"); err != nil {
			return nil, err
		}
	}
	for _, s := range []*payloadReader{h.seqs, h.walls, h.logicals, shape} {
		if err := s.done("the headers"); err != nil {
			return nil, err
		}
	}
	for id, c := range d.cols {
		if err := c.done(fmt.Sprintf("column %d", id)); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// headers are the header columns of a batch.
type headers struct {
	origins                       *strReader
	seqs, walls, logicals         *payloadReader
	actors, entities, scopes, ops *strReader
}

// texts are the table-coded header columns after the numbers, in order.
func (h *headers) texts() []**strReader {
	return []**strReader{&h.actors, &h.entities, &h.scopes, &h.ops}
}

// bodyBuilder rebuilds changes from the header columns, the shape and
// the value columns.
type bodyBuilder struct {
	shape   *payloadReader
	cols    map[uint64]*strReader
	keys    [][]byte
	out     []byte
	id      []byte
	lastSeq map[schema.Origin]uint64
	wall    int64
}

func (d *bodyBuilder) change(h *headers) (*schema.Change, error) {
	var c schema.Change
	raw, err := h.origins.next()
	if err != nil {
		return nil, err
	}
	origin, err := unescape(raw)
	if err != nil {
		return nil, err
	}
	i := strings.LastIndexByte(origin, '/')
	if i < 0 {
		return nil, fmt.Errorf("%w: origin %q has no incarnation", ErrMessage, origin)
	}
	c.Origin = schema.Origin{Region: schema.Code(origin[:i]), Incarnation: origin[i+1:]}
	delta, err := h.seqs.varint()
	if err != nil {
		return nil, err
	}
	c.Seq = d.lastSeq[c.Origin] + uint64(delta)
	d.lastSeq[c.Origin] = c.Seq
	dw, err := h.walls.varint()
	if err != nil {
		return nil, err
	}
	d.wall += dw
	c.HLC.Wall = d.wall
	l, err := h.logicals.uvarint()
	if err != nil {
		return nil, err
	}
	if l > 1<<32-1 {
		return nil, fmt.Errorf("%w: clock counter %d", ErrMessage, l)
	}
	c.HLC.Logical = uint32(l)
	d.out, d.id = nil, nil
	if err := d.body(); err != nil {
		return nil, err
	}
	c.Body = d.out
	var texts [4]string
	for k, col := range h.texts() {
		raw, err := (*col).next()
		if err != nil {
			return nil, err
		}
		if k == 1 && bytes.HasSuffix(raw, []byte(entityFromID)) {
			raw = append(raw[:len(raw)-1:len(raw)-1], d.id...)
		}
		if texts[k], err = unescape(raw); err != nil {
			return nil, err
		}
	}
	c.Actor, c.Entity, c.Scope, c.Op = texts[0], texts[1], schema.Code(texts[2]), schema.Op(texts[3])
	return &c, nil
}

func (d *bodyBuilder) body() error {
	if len(d.shape.p) > 0 && d.shape.p[0] == tokEmpty {
		d.shape.p = d.shape.p[1:]
		return nil
	}
	if err := d.value(0, 0); err != nil {
		return err
	}
	if len(d.out) > schema.MaxChangeSize {
		return fmt.Errorf("%w: a body exceeds %d bytes", ErrMessage, schema.MaxChangeSize)
	}
	return nil
}

func (d *bodyBuilder) token() (byte, error) {
	if len(d.shape.p) == 0 {
		return 0, fmt.Errorf("%w: the shape of a body ends early", ErrMessage)
	}
	t := d.shape.p[0]
	d.shape.p = d.shape.p[1:]
	return t, nil
}

func (d *bodyBuilder) value(col uint64, depth int) error {
	if depth > maxDepth || len(d.out) > schema.MaxChangeSize {
		return fmt.Errorf("%w: a body nests too deep or grows too large", ErrMessage)
	}
	t, err := d.token()
	if err != nil {
		return err
	}
	switch t {
	case tokObject:
		d.out = append(d.out, '{')
		for n := 0; ; n++ {
			if len(d.shape.p) > 0 && d.shape.p[0] == tokObjEnd {
				d.shape.p = d.shape.p[1:]
				d.out = append(d.out, '}')
				return nil
			}
			k, err := d.key()
			if err != nil {
				return err
			}
			if n > 0 {
				d.out = append(d.out, ',')
			}
			key := d.keys[k-1]
			d.out = append(append(append(d.out, '"'), key...), '"', ':')
			start := len(d.out)
			if err := d.value(k, depth+1); err != nil {
				return err
			}
			if depth == 0 && string(key) == "id" && len(d.out) > start+1 && d.out[start] == '"' {
				d.id = d.out[start+1 : len(d.out)-1 : len(d.out)-1]
			}
		}
	case tokArray:
		d.out = append(d.out, '[')
		for n := 0; ; n++ {
			if len(d.shape.p) > 0 && d.shape.p[0] == tokArrEnd {
				d.shape.p = d.shape.p[1:]
				d.out = append(d.out, ']')
				return nil
			}
			if n > 0 {
				d.out = append(d.out, ',')
			}
			if err := d.value(col, depth+1); err != nil {
				return err
			}
		}
	case tokString, tokNumber:
		c := d.cols[col]
		if c == nil {
			return fmt.Errorf("%w: a body value has no column %d", ErrMessage, col)
		}
		v, err := c.next()
		if err != nil {
			return err
		}
		if t == tokString {
			d.out = append(append(append(d.out, '"'), v...), '"')
		} else {
			d.out = append(d.out, v...)
		}
		return nil
	case tokTrue:
		d.out = append(d.out, "true"...)
		return nil
	case tokFalse:
		d.out = append(d.out, "false"...)
		return nil
	case tokNull:
		d.out = append(d.out, "null"...)
		return nil
	}
	return fmt.Errorf("%w: unknown shape token %q", ErrMessage, t)
}

// key reads a member's key token and returns its 1-based index.
func (d *bodyBuilder) key() (uint64, error) {
	t, err := d.token()
	if err != nil {
		return 0, err
	}
	switch t {
	case tokNewKey:
		end := bytes.IndexByte(d.shape.p, 0)
		if end < 0 {
			return 0, fmt.Errorf("%w: a key is not terminated", ErrMessage)
		}
		d.keys = append(d.keys, d.shape.p[:end:end])
		d.shape.p = d.shape.p[end+1:]
		return uint64(len(d.keys)), nil
	case tokKey:
		k, err := d.shape.uvarint()
		if err != nil {
			return 0, err
		}
		if k == 0 || k > uint64(len(d.keys)) {
			return 0, fmt.Errorf("%w: a body refers to key %d of %d", ErrMessage, k, len(d.keys))
		}
		return k, nil
	}
	return 0, fmt.Errorf("%w: a key expected in a body, found %q", ErrMessage, t)
}
