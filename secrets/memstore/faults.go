package memstore

import (
	"context"
	"sync"
)

// Faults injects failures into the memory stores it is attached to (see
// WithFaults) and counts their calls. Each arming method arms one fault
// and returns it; a call is changed by the first armed fault, in arming
// order, that matches it and has calls left, and by no other. The zero
// value is ready to use, and a Faults is safe for concurrent use by the
// test and the code under test. It must not be copied after first use.
//
// The Store reports an injected error with the kind of the first secrets
// sentinel the error wraps (secrets.ErrNotFound, ErrAlreadyExists,
// ErrConflict, ErrPermissionDenied, ErrUnavailable, ErrInvalidArgument,
// ErrUnsupported), else as secrets.ErrUnavailable, a store that is down;
// an error that wraps context.Canceled or context.DeadlineExceeded is
// reported as a done context is. The error itself stays reachable with
// errors.Is and errors.As, and so does ErrInjected.
type Faults struct {
	mu     sync.Mutex
	armed  []*Fault // in arming order, until removed (used-up ones too, so that Clear releases their blocked calls)
	counts map[callKey]int
}

type callKey struct {
	store string
	op    Op
}

// Fault is one armed fault, returned by the arming methods of Faults.
type Fault struct {
	faults *Faults
	kind   faultKind
	match  Match
	err    error                           // Fail, LoseAnswer
	fn     func(ctx context.Context) error // Hook
	// release is closed by Remove; Block's calls wait for it. It is made
	// when the fault is armed, in the arming goroutine, so that a test
	// inside a testing/synctest bubble sees a blocked call as durably
	// blocked.
	release chan struct{}

	// Guarded by faults.mu.
	left    int // calls left; Always for every call
	hits    int
	removed bool
	waiters []waiter
}

type waiter struct {
	n  int
	ch chan struct{}
}

type faultKind uint8

const (
	kindFail faultKind = iota
	kindLose
	kindBlock
	kindHook
)

// Fail arms a fault that fails the matching calls with err before they
// run: nothing changes, as when the store is down or refuses the
// credentials. Faults says how the Store reports err; a nil err is
// ErrInjected.
func (f *Faults) Fail(m Match, err error) *Fault {
	m.check("Fail")
	return f.arm(&Fault{kind: kindFail, match: m, err: injected(err)})
}

// LoseAnswer arms a fault that lets each matching call run and then
// replaces its answer with err: the change happened, but the caller is
// told it failed, as when a response is lost on the way back. A call
// that fails on its own returns its own error. Faults says how the Store
// reports err; a nil err is ErrInjected.
func (f *Faults) LoseAnswer(m Match, err error) *Fault {
	m.check("LoseAnswer")
	return f.arm(&Fault{kind: kindLose, match: m, err: injected(err)})
}

// Block arms a fault that holds each matching call until the fault is
// removed (Remove or Clear), after which the call runs, or until the
// call's context ends, when it returns the context's error having changed
// nothing, as a store that never answers does. Reached tells the test
// that a call is being held. A held call keeps its Store's Close waiting.
func (f *Faults) Block(m Match) *Fault {
	m.check("Block")
	return f.arm(&Fault{kind: kindBlock, match: m, release: make(chan struct{})})
}

// Hook arms a fault that calls fn at each matching call, in the caller's
// goroutine with the caller's context, before the call runs. If fn
// returns an error the call fails with it as with Fail; otherwise the call
// runs. Cancelling the caller's context in fn makes the call return
// context.Canceled having changed nothing: a program that stops at that
// point, as in a crash. fn may arm and remove faults.
func (f *Faults) Hook(m Match, fn func(ctx context.Context) error) *Fault {
	m.check("Hook")
	if fn == nil {
		panic("memstore: Hook: nil function")
	}
	return f.arm(&Fault{kind: kindHook, match: m, fn: fn})
}

func (f *Faults) arm(x *Fault) *Fault {
	x.faults = f
	x.left = x.match.Times
	if x.left == 0 {
		x.left = 1
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.armed = append(f.armed, x)
	return x
}

// Calls returns how many calls matching m's Op and Store (m.Times is
// ignored) have reached the stores f is attached to, whether a fault then
// changed them or not. A Store method that refuses its arguments or finds
// its context done sends no call and is not counted.
func (f *Faults) Calls(m Match) int {
	m.check("Calls")
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for k, c := range f.counts {
		if m.matches(k.store, k.op) {
			n += c
		}
	}
	return n
}

// Clear removes every fault, as Remove does for each; counts are kept.
func (f *Faults) Clear() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, x := range f.armed {
		x.removeLocked()
	}
	f.armed = nil
}

// Remove disarms the fault: later calls pass it by, and calls that Block
// is holding go on and run. Removing it again does nothing.
func (x *Fault) Remove() {
	f := x.faults
	f.mu.Lock()
	defer f.mu.Unlock()
	if x.removed {
		return
	}
	x.removeLocked()
	for i, y := range f.armed {
		if y == x {
			f.armed = append(f.armed[:i], f.armed[i+1:]...)
			break
		}
	}
}

func (x *Fault) removeLocked() {
	if x.removed {
		return
	}
	x.removed = true
	if x.release != nil {
		close(x.release)
	}
}

// Hits returns how many calls the fault has applied to.
func (x *Fault) Hits() int {
	x.faults.mu.Lock()
	defer x.faults.mu.Unlock()
	return x.hits
}

// Reached returns a channel that is closed once the fault has applied to
// n calls in all: for Block, once the nth call is being held (it waits
// for Remove or its context from then on). A test waits on it instead of
// sleeping. If the fault is removed or used up first, the channel is
// never closed.
func (x *Fault) Reached(n int) <-chan struct{} {
	ch := make(chan struct{})
	x.faults.mu.Lock()
	defer x.faults.mu.Unlock()
	if x.hits >= n {
		close(ch)
		return ch
	}
	x.waiters = append(x.waiters, waiter{n, ch})
	return ch
}

// arrival is what a call learns from Faults: the fault that applies to it,
// copied out of the lock, or nil.
type arrival struct {
	kind    faultKind
	err     error
	fn      func(context.Context) error
	release <-chan struct{}
}

// arrive counts a call and finds the fault that applies to it, using one
// of its calls up.
func (f *Faults) arrive(store string, op Op) *arrival {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.counts == nil {
		f.counts = make(map[callKey]int)
	}
	f.counts[callKey{store, op}]++
	for _, x := range f.armed {
		if x.left == 0 || !x.match.matches(store, op) {
			continue
		}
		if x.left > 0 {
			x.left--
		}
		x.hits++
		kept := x.waiters[:0]
		for _, w := range x.waiters {
			if x.hits >= w.n {
				close(w.ch)
			} else {
				kept = append(kept, w)
			}
		}
		x.waiters = kept
		return &arrival{kind: x.kind, err: x.err, fn: x.fn, release: x.release}
	}
	return nil
}

// run applies the fault that applies to a call of op, if any, around call.
// A call whose context is already done returns the context's error, as
// the driver contract requires, and is neither counted nor faulted.
func (f *Faults) run(ctx context.Context, store string, op Op, call func() error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	a := f.arrive(store, op)
	if a == nil {
		return call()
	}
	switch a.kind {
	case kindFail:
		return a.err
	case kindLose:
		if err := call(); err != nil {
			return err
		}
		return a.err
	case kindBlock:
		select {
		case <-a.release:
			return call()
		case <-ctx.Done():
			return ctx.Err()
		}
	default: // kindHook
		if err := a.fn(ctx); err != nil {
			return injected(err)
		}
		return call()
	}
}
