package wire

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"

	"github.com/klauspost/compress/zstd"
)

// Kind is what a frame holds.
type Kind uint8

// The frame kinds.
const (
	// KindHello opens a request: a Hello as JSON.
	KindHello Kind = 1
	// KindChanges holds a batch of changes (EncodeBatch).
	KindChanges Kind = 2
	// KindAck opens a response: an Ack as JSON.
	KindAck Kind = 3
	// KindEnd closes a body: an End as JSON. A body without it was cut.
	KindEnd Kind = 4
)

func (k Kind) String() string {
	switch k {
	case KindHello:
		return "hello"
	case KindChanges:
		return "changes"
	case KindAck:
		return "ack"
	case KindEnd:
		return "end"
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

// Bounds on what a peer may send.
const (
	// MaxFrameBytes bounds a frame's compressed payload.
	MaxFrameBytes = 1 << 20
	// MaxPayloadBytes bounds a frame's decompressed payload.
	MaxPayloadBytes = 4 << 20
	// MaxBatchBytes bounds the changes one Changes payload rebuilds to
	// (bodies, entities, actors). A sender's batches stay under 4 MB.
	MaxBatchBytes = 16 << 20
	// HeaderBytes is the size of a frame's header (length, kind, dict, crc).
	HeaderBytes = 11
	// ExpectedRatio is how many times smaller a batch of changes gets
	// on the wire: 12–13 times for sample complaints in 2-second frames
	// over 2G with dictionary 2. A sender sizes batches in raw bytes from
	// it and corrects it with what it measures.
	ExpectedRatio = 10
	// Stored is the dictionary id of a frame stored uncompressed: a
	// payload under 64 bytes (an Ack, an End) comes out smaller that way.
	Stored = 0xFFFF
)

// The errors of this package. Each means the peer sent something this
// node cannot take; the messages say what in plain words.
var (
	// ErrTruncated means the body ended inside a frame, or before its End.
	ErrTruncated = errors.New("wire: body cut short")
	// ErrDamaged means a frame's CRC or framing does not hold.
	ErrDamaged = errors.New("wire: damaged frame")
	// ErrDictionary means a frame names a dictionary this build lacks.
	ErrDictionary = errors.New("wire: unknown dictionary")
	// ErrMessage means a frame's content does not decode.
	ErrMessage = errors.New("wire: bad message")
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Frame is one decoded frame.
type Frame struct {
	Kind Kind
	Dict uint16
	// Payload is the decompressed payload.
	Payload []byte
	// WireBytes is the frame's size on the wire, header included.
	WireBytes int
}

// JSON decodes the payload of a Hello, Ack or End frame into v.
func (f *Frame) JSON(v any) error {
	if err := json.Unmarshal(f.Payload, v); err != nil {
		return fmt.Errorf("%w: %s frame: %w", ErrMessage, f.Kind, err)
	}
	return nil
}

// Writer writes frames to a body. The compressed frames of one body form
// one zstd stream, flushed at the end of every frame: a frame refers back
// to the frames before it in the same body, so cutting a batch into
// frames of a few seconds of air time costs little. Close the writer when
// the body is done. It is not safe for concurrent use.
type Writer struct {
	w    io.Writer
	dict uint16
	buf  []byte
	// z receives the stream's output; enc is the stream, begun with the
	// body's first compressed frame.
	z   bytes.Buffer
	enc *zstd.Encoder
	// Bytes counts the bytes written.
	Bytes int64
}

// NewWriter returns a writer compressing with dictionary dict (0: none).
func NewWriter(w io.Writer, dict uint16) (*Writer, error) {
	if err := loadCoders(); err != nil {
		return nil, err
	}
	if _, ok := coders.enc[dict]; !ok {
		return nil, fmt.Errorf("%w: %d", ErrDictionary, dict)
	}
	return &Writer{w: w, dict: dict}, nil
}

// storeBelow is the payload size under which a frame is stored: a zstd
// block costs more than it saves on a few dozen bytes.
const storeBelow = 64

// Write compresses payload into one frame of kind k and writes it; it
// returns the frame's size on the wire.
func (w *Writer) Write(k Kind, payload []byte) (int, error) {
	if len(payload) > MaxPayloadBytes {
		return 0, fmt.Errorf("%w: payload of %d bytes is too large for one frame", ErrMessage, len(payload))
	}
	w.buf = append(w.buf[:0], make([]byte, HeaderBytes)...)
	dict := w.dict
	if len(payload) < storeBelow {
		dict, w.buf = Stored, append(w.buf, payload...)
	} else {
		if w.enc == nil {
			w.enc = coders.enc[dict].Get().(*zstd.Encoder)
			w.enc.Reset(&w.z)
		}
		w.z.Reset()
		if _, err := w.enc.Write(payload); err != nil {
			return 0, fmt.Errorf("wire: compress %s frame: %w", k, err)
		}
		if err := w.enc.Flush(); err != nil {
			return 0, fmt.Errorf("wire: compress %s frame: %w", k, err)
		}
		w.buf = binary.AppendUvarint(w.buf, uint64(len(payload)))
		w.buf = append(w.buf, w.z.Bytes()...)
	}
	if len(w.buf)-HeaderBytes > MaxFrameBytes {
		return 0, fmt.Errorf("%w: payload of %d bytes is too large for one frame", ErrMessage, len(payload))
	}
	binary.BigEndian.PutUint32(w.buf[0:], uint32(len(w.buf)-4))
	w.buf[4] = byte(k)
	binary.BigEndian.PutUint16(w.buf[5:], dict)
	crc := crc32.Update(crc32.Checksum(w.buf[4:7], castagnoli), castagnoli, w.buf[HeaderBytes:])
	binary.BigEndian.PutUint32(w.buf[7:], crc)
	n, err := w.w.Write(w.buf)
	w.Bytes += int64(n)
	if err != nil {
		return n, fmt.Errorf("wire: write %s frame: %w", k, err)
	}
	return n, nil
}

// WriteJSON writes v as JSON in one frame of kind k.
func (w *Writer) WriteJSON(k Kind, v any) (int, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return 0, fmt.Errorf("wire: encode %s: %w", k, err)
	}
	return w.Write(k, b)
}

// WriteBatch writes b as one Changes frame.
func (w *Writer) WriteBatch(b *Batch) (int, error) {
	p, err := EncodeBatch(b)
	if err != nil {
		return 0, err
	}
	return w.Write(KindChanges, p)
}

// Close ends the body's stream and gives its coder back; the writer
// writes nothing more.
func (w *Writer) Close() {
	if w.enc != nil {
		w.enc.Reset(io.Discard)
		coders.enc[w.dict].Put(w.enc)
		w.enc = nil
	}
	w.w = errWriter{}
}

type errWriter struct{}

func (errWriter) Write([]byte) (int, error) { return 0, errors.New("wire: writer closed") }

// Reader reads frames from a body. Close it when the body is done. It is
// not safe for concurrent use.
type Reader struct {
	r   *bufio.Reader
	buf []byte
	out []byte
	// dec decodes the body's stream from src, one frame at a time; dict
	// is the stream's dictionary, fixed by its first compressed frame.
	dec  *zstd.Decoder
	src  segment
	dict uint16
	// Bytes counts the bytes of whole frames read.
	Bytes int64
	// Partial counts the bytes of a frame the body ended inside.
	Partial int64
}

// segment hands the decoder one frame's compressed bytes and then fails
// instead of blocking, so a frame that claims more than it holds is an
// error, never a wait.
type segment struct{ b []byte }

var errSegmentEnd = errors.New("frame data exhausted")

func (s *segment) Read(p []byte) (int, error) {
	if len(s.b) == 0 {
		return 0, errSegmentEnd
	}
	n := copy(p, s.b)
	s.b = s.b[n:]
	return n, nil
}

// NewReader returns a reader of the frames in r.
func NewReader(r io.Reader) *Reader { return &Reader{r: bufio.NewReaderSize(r, 32<<10)} }

// Close gives the reader's decoder back.
func (r *Reader) Close() {
	if r.dec != nil {
		_ = r.dec.Reset(nil)
		coders.dec.Put(r.dec)
		r.dec = nil
	}
}

// Next reads, checks and decompresses the next frame. It returns io.EOF
// when the body ends cleanly between frames, ErrTruncated when it ends
// inside one, and ErrDamaged or ErrDictionary for a frame that must not
// be used. The payload is valid until the next call.
func (r *Reader) Next() (Frame, error) {
	if err := loadCoders(); err != nil {
		return Frame{}, err
	}
	var head [HeaderBytes]byte
	if n, err := io.ReadFull(r.r, head[:4]); err != nil {
		if err == io.EOF {
			return Frame{}, io.EOF
		}
		r.Partial = int64(n)
		return Frame{}, cut(err)
	}
	size := binary.BigEndian.Uint32(head[:4])
	if size < HeaderBytes-4 || size-(HeaderBytes-4) > MaxFrameBytes {
		return Frame{}, fmt.Errorf("%w: a frame of %d bytes is outside the allowed size", ErrDamaged, size)
	}
	if n, err := io.ReadFull(r.r, head[4:]); err != nil {
		r.Partial = int64(4 + n)
		return Frame{}, cut(err)
	}
	n := int(size) - (HeaderBytes - 4)
	r.buf = append(r.buf[:0], make([]byte, n)...)
	if got, err := io.ReadFull(r.r, r.buf); err != nil {
		r.Partial = int64(HeaderBytes + got)
		return Frame{}, cut(err)
	}
	f := Frame{Kind: Kind(head[4]), Dict: binary.BigEndian.Uint16(head[5:]), WireBytes: int(size) + 4}
	crc := crc32.Update(crc32.Checksum(head[4:7], castagnoli), castagnoli, r.buf)
	if crc != binary.BigEndian.Uint32(head[7:]) {
		return Frame{}, fmt.Errorf("%w: the checksum of a %s frame does not match its content", ErrDamaged, f.Kind)
	}
	if f.Dict == Stored {
		if len(r.buf) > MaxPayloadBytes {
			return Frame{}, fmt.Errorf("%w: a %s frame holds more than %d bytes", ErrDamaged, f.Kind, MaxPayloadBytes)
		}
		f.Payload = r.buf
		r.Bytes += int64(f.WireBytes)
		return f, nil
	}
	if !Known(f.Dict) {
		return Frame{}, fmt.Errorf("%w: dictionary %d (this node knows %v)", ErrDictionary, f.Dict, Dictionaries())
	}
	out, err := r.decompress(f)
	if err != nil {
		return Frame{}, err
	}
	f.Payload = out
	r.Bytes += int64(f.WireBytes)
	return f, nil
}

// decompress decodes a compressed frame's part of the body's stream.
func (r *Reader) decompress(f Frame) ([]byte, error) {
	raw, k := binary.Uvarint(r.buf)
	if k <= 0 || raw > MaxPayloadBytes {
		return nil, fmt.Errorf("%w: a %s frame claims a size beyond %d bytes", ErrDamaged, f.Kind, MaxPayloadBytes)
	}
	if r.dec == nil {
		r.dec, r.dict = coders.dec.Get().(*zstd.Decoder), f.Dict
		if err := r.dec.Reset(&r.src); err != nil {
			return nil, fmt.Errorf("wire: decoder: %w", err)
		}
	} else if f.Dict != r.dict {
		return nil, fmt.Errorf("%w: a %s frame switches from dictionary %d to %d", ErrDamaged, f.Kind, r.dict, f.Dict)
	}
	r.src.b = r.buf[k:]
	r.out = append(r.out[:0], make([]byte, raw)...)
	if _, err := io.ReadFull(r.dec, r.out); err != nil {
		return nil, fmt.Errorf("%w: a %s frame does not decompress: %w", ErrDamaged, f.Kind, err)
	}
	if len(r.src.b) != 0 {
		return nil, fmt.Errorf("%w: a %s frame holds %d bytes past its data", ErrDamaged, f.Kind, len(r.src.b))
	}
	return r.out, nil
}

func cut(err error) error {
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return fmt.Errorf("%w: it ended inside a frame", ErrTruncated)
	}
	return fmt.Errorf("%w: %w", ErrTruncated, err)
}
