package policy

import (
	"context"
	"log/slog"
	"time"
)

// EventKind names what happened.
type EventKind string

const (
	EventPlanned   EventKind = "planned"   // a decision was made for a target
	EventCreated   EventKind = "created"   // a token was added in Snowflake
	EventRotated   EventKind = "rotated"   // a token was rotated in Snowflake
	EventRevoked   EventKind = "revoked"   // a compromised token was removed
	EventStored    EventKind = "stored"    // a new secret was written as pending to a store
	EventVerified  EventKind = "verified"  // a login with the new secret worked
	EventPromoted  EventKind = "promoted"  // a store's pending secret became current
	EventRetired   EventKind = "retired"   // a lapsed token or stored version was cleaned up
	EventRecovered EventKind = "recovered" // a half-done rotation was repaired
	EventExpiring  EventKind = "expiring"  // a token crossed a warning threshold
	EventFailed    EventKind = "failed"    // an attempt or a whole apply failed
	EventPushed    EventKind = "pushed"    // a destination received the current secret
	EventTested    EventKind = "tested"    // a destination's connection test (a refresh) passed
)

// Event is one step of the engine's work. It never carries a secret: the
// errors it carries come from pat and secrets, which keep their text free
// of secrets.
type Event struct {
	Time   time.Time
	Kind   EventKind
	Target string
	User   string
	Token  string
	Action Action
	Store  string // the store URL, for stored and promoted
	// Destination is the push destination URL, for pushed and tested.
	Destination string
	Reason      string
	Attempt     int   // for failed: which try
	Final       bool  // for failed: the target exhausted its retries
	Err         error // for failed: the cause, for errors.Is and errors.As
}

// Observer receives the engine's events. Implementations must be safe for
// concurrent use and should not block.
type Observer interface {
	Event(ctx context.Context, ev Event)
}

// ObserverFunc adapts a function to Observer.
type ObserverFunc func(ctx context.Context, ev Event)

// Event calls f.
func (f ObserverFunc) Event(ctx context.Context, ev Event) { f(ctx, ev) }

// LogObserver logs events through l: failures at Error (Warn while retries
// remain), expiring at Warn, the rest at Info. The message is fixed per
// kind ("snowpat rotated", …), so that log queries and alerts can match it;
// the reason, which varies, is an attribute.
func LogObserver(l *slog.Logger) Observer {
	return ObserverFunc(func(ctx context.Context, ev Event) {
		level := slog.LevelInfo
		switch {
		case ev.Kind == EventFailed && ev.Final:
			level = slog.LevelError
		case ev.Kind == EventFailed, ev.Kind == EventExpiring:
			level = slog.LevelWarn
		}
		attrs := []slog.Attr{slog.String("event", string(ev.Kind)), slog.String("target", ev.Target),
			slog.String("user", ev.User), slog.String("token", ev.Token), slog.String("reason", ev.Reason)}
		if ev.Action != "" {
			attrs = append(attrs, slog.String("action", string(ev.Action)))
		}
		if ev.Store != "" {
			attrs = append(attrs, slog.String("store", ev.Store))
		}
		if ev.Destination != "" {
			attrs = append(attrs, slog.String("destination", ev.Destination))
		}
		if ev.Attempt > 0 {
			attrs = append(attrs, slog.Int("attempt", ev.Attempt))
		}
		if ev.Err != nil {
			attrs = append(attrs, slog.String("error", ev.Err.Error()))
		}
		l.LogAttrs(ctx, level, "snowpat "+string(ev.Kind), attrs...)
	})
}

func multiObserver(o Observer, l *slog.Logger) Observer {
	var list []Observer
	if o != nil {
		list = append(list, o)
	}
	if l != nil {
		list = append(list, LogObserver(l))
	}
	return ObserverFunc(func(ctx context.Context, ev Event) {
		for _, x := range list {
			x.Event(ctx, ev)
		}
	})
}
