// Package wire is the format of the sync exchange between tiers: frames,
// the zstd coders with our trained dictionaries, and the messages that
// open and close each body.
//
// A body is a sequence of frames. A frame is
//
//	length  uint32 big-endian: the bytes after this field (header rest + payload)
//	kind    uint8:  Hello, Changes, Ack or End
//	dict    uint16 big-endian: the dictionary the payload was compressed with
//	        (0: zstd without one; 0xFFFF: stored uncompressed, for payloads under 64 bytes)
//	crc     uint32 big-endian: CRC-32C of kind, dict and the compressed payload
//	payload when compressed: uvarint size of the decompressed payload, then
//	        this frame's part of the body's zstd stream; when stored: the
//	        payload itself
//
// The compressed frames of one body (a request, or a response) are one
// zstd stream, flushed at the end of every frame, so a frame is decoded
// as soon as it is whole and may refer back to the frames before it in
// the same body. A body that is cut ends its stream; the next request
// starts a new one. A Changes payload is a batch in the columnar encoding
// of columns.go.
//
// A frame is applied only whole and only when its CRC holds, so a link cut
// at any byte loses at most the frame in flight. Every size read from a
// peer is bounded before anything is allocated: a frame's compressed
// payload by MaxFrameBytes, its decompressed payload by MaxPayloadBytes.
//
// Dictionaries are versioned files in dict/, embedded in the binary. A
// shipped version is never changed or removed: a node that speaks to an
// older or newer node compresses with the newest dictionary both know
// (Hello.Dicts) and can read every dictionary it has ever shipped.
//
// Stream coders are pooled: a Writer or Reader takes one with its body's
// first compressed frame and gives it back on Close. An encoder at
// SpeedBetterCompression holds about 5 MB of match tables; at
// SpeedBestCompression it would hold 34 MB, for 4% fewer bytes.
package wire
