package service

import (
	"bytes"
	"context"
	"log/slog"
)

// EventLog is where a service's important lines go for an administrator
// to find: the Windows event log (golang.org/x/sys/windows/svc/eventlog's
// *Log satisfies it). Each call writes one event; eid is the event's id.
type EventLog interface {
	Info(eid uint32, msg string) error
	Warning(eid uint32, msg string) error
	Error(eid uint32, msg string) error
}

// Event ids Lumbung writes: one per level, so a filter in the event
// viewer picks them.
const (
	EventInfo    uint32 = 1
	EventWarning uint32 = 2
	EventError   uint32 = 3
)

// EventHandler is a slog.Handler that writes each record at or above Min
// to Log as one event, in the text form of slog.TextHandler (without the
// time, which the event log keeps itself). A failed write to the event
// log is dropped: the rotating file still has the line.
type EventHandler struct {
	Log EventLog
	Min slog.Level
	// attrs and groups carried by WithAttrs and WithGroup
	with func(slog.Handler) slog.Handler
}

// Enabled reports whether a record at level goes to the event log.
func (h *EventHandler) Enabled(_ context.Context, level slog.Level) bool { return level >= h.Min }

// Handle writes the record as one event.
func (h *EventHandler) Handle(ctx context.Context, r slog.Record) error {
	var b bytes.Buffer
	var th slog.Handler = slog.NewTextHandler(&b, &slog.HandlerOptions{
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if len(groups) == 0 && a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		}})
	if h.with != nil {
		th = h.with(th)
	}
	if err := th.Handle(ctx, r); err != nil {
		return nil
	}
	msg := string(bytes.TrimRight(b.Bytes(), "\n"))
	switch {
	case r.Level >= slog.LevelError:
		_ = h.Log.Error(EventError, msg)
	case r.Level >= slog.LevelWarn:
		_ = h.Log.Warning(EventWarning, msg)
	default:
		_ = h.Log.Info(EventInfo, msg)
	}
	return nil
}

// WithAttrs carries attrs into every event.
func (h *EventHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return h.chain(func(t slog.Handler) slog.Handler { return t.WithAttrs(attrs) })
}

// WithGroup carries the group into every event.
func (h *EventHandler) WithGroup(name string) slog.Handler {
	return h.chain(func(t slog.Handler) slog.Handler { return t.WithGroup(name) })
}

func (h *EventHandler) chain(next func(slog.Handler) slog.Handler) slog.Handler {
	prev := h.with
	return &EventHandler{Log: h.Log, Min: h.Min, with: func(t slog.Handler) slog.Handler {
		if prev != nil {
			t = prev(t)
		}
		return next(t)
	}}
}

// Tee is a slog.Handler that gives every record to each of its handlers
// that is enabled for it (the service's rotating file and its event log).
type Tee []slog.Handler

// Enabled reports whether any handler takes a record at level.
func (t Tee) Enabled(ctx context.Context, level slog.Level) bool {
	for _, h := range t {
		if h.Enabled(ctx, level) {
			return true
		}
	}
	return false
}

// Handle gives r to every enabled handler; the first error is returned.
func (t Tee) Handle(ctx context.Context, r slog.Record) error {
	var first error
	for _, h := range t {
		if h.Enabled(ctx, r.Level) {
			if err := h.Handle(ctx, r.Clone()); err != nil && first == nil {
				first = err
			}
		}
	}
	return first
}

// WithAttrs gives attrs to every handler.
func (t Tee) WithAttrs(attrs []slog.Attr) slog.Handler {
	out := make(Tee, len(t))
	for i, h := range t {
		out[i] = h.WithAttrs(attrs)
	}
	return out
}

// WithGroup gives the group to every handler.
func (t Tee) WithGroup(name string) slog.Handler {
	out := make(Tee, len(t))
	for i, h := range t {
		out[i] = h.WithGroup(name)
	}
	return out
}
