// Package wire is the format of the sync exchange between tiers: frames,
// the zstd coders with our trained dictionaries, and the messages that
// open and close each body.
//
// A body is a sequence of frames. A frame is
//
//	length  uint32 big-endian: the bytes after this field (header rest + payload)
//	kind    uint8:  Hello, Changes, Ack or End
//	dict    uint16 big-endian: the dictionary the payload was compressed with
//	        (0: zstd without one; 0xFFFF: stored uncompressed, for tiny frames)
//	crc     uint32 big-endian: CRC-32C of kind, dict and the compressed payload
//	payload a zstd frame, or the payload itself when stored
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
// The zstd coders are made once per process and shared; klauspost's
// EncodeAll and DecodeAll are safe for concurrent use, and the
// concurrency option bounds the memory they hold.
package wire
