package k8slease

import (
	"context"
	"errors"
	"sync"
	"time"

	"k8s.io/utils/clock"
)

// errPastDeadline is the cause of a context that untilDeadline ended.
var errPastDeadline = errors.New("k8slease: out of time")

// untilDeadline is context.WithDeadline on an injected clock: the context
// ends when c reaches at, so that a fake clock in tests cuts a hung
// request off exactly where a real one would.
func untilDeadline(parent context.Context, c clock.Clock, at time.Time) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancelCause(parent)
	d := at.Sub(c.Now())
	if d <= 0 {
		cancel(errPastDeadline)
		return ctx, func() {}
	}
	t := c.NewTimer(d)
	stop := make(chan struct{})
	var once sync.Once
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer t.Stop()
		select {
		case <-t.C():
			cancel(errPastDeadline)
		case <-stop:
		}
	}()
	return ctx, func() {
		once.Do(func() { close(stop) })
		<-done
		cancel(context.Canceled)
	}
}
