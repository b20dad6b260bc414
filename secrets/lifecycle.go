package secrets

import "context"

// start checks what every method checks before calling the driver and,
// when the call may go ahead, counts it as in flight: the caller must call
// done once the driver has returned.
//
// The closed check and calls.Add happen under one lock that Close also
// takes, so no call can be counted after Close has begun waiting: the
// WaitGroup rule that an Add from zero must not run beside Wait.
func (s *Store) start(ctx context.Context, op string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return invalid(op, "the store is closed")
	}
	if err := ctx.Err(); err != nil {
		return &Error{Op: op, Kind: err}
	}
	s.calls.Add(1)
	return nil
}

// done ends a call that start let through.
func (s *Store) done() { s.calls.Done() }

// Close refuses every later call, waits for the calls in flight to return
// and then releases the driver's resources: the driver contract promises a
// driver that Close comes after every other call has returned. A call
// that never returns (a hung backend whose context never ends) keeps
// Close waiting, so give calls contexts with deadlines. Calls made after
// Close, and Close itself again, return ErrInvalidArgument.
//
// This is gocloud's read lock around driver calls and write lock in Close,
// with one difference: a call that arrives while Close waits is refused at
// once instead of queueing behind it.
func (s *Store) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return invalid("Close", "the store is already closed")
	}
	s.closed = true
	s.mu.Unlock()
	s.calls.Wait()
	return s.wrap(context.Background(), "Close", s.d.Close())
}
