package slowstore

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/snowpat/snowpat/secrets/driver"
)

// Counter counts calls across every wrapped driver that shares it, and
// keeps when each one's round trip began and ended, so that a benchmark
// can tell calls made one after another from calls made at once.
type Counter struct {
	n  atomic.Int64
	mu sync.Mutex
	iv []Interval
}

// Interval is one call's round trip.
type Interval struct{ Start, End time.Time }

// Load returns the count.
func (c *Counter) Load() int64 { return c.n.Load() }

// Reset sets the count to zero and forgets the intervals.
func (c *Counter) Reset() {
	c.n.Store(0)
	c.mu.Lock()
	c.iv = nil
	c.mu.Unlock()
}

// Intervals returns the round trips since the last Reset.
func (c *Counter) Intervals() []Interval {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Interval(nil), c.iv...)
}

func (c *Counter) record(start time.Time) {
	c.mu.Lock()
	c.iv = append(c.iv, Interval{start, time.Now()})
	c.mu.Unlock()
}

// Latency is shared by wrapped drivers so a benchmark can set it after
// setup; zero means no delay.
type Latency struct{ d atomic.Int64 }

// Set sets the delay before every call.
func (l *Latency) Set(d time.Duration) { l.d.Store(int64(d)) }

// Wrap returns d with the latency before every call, counted in c. The
// wrapper offers exactly the optional capabilities d offers
// (compare-and-swap, reading every stage at once, destroy), so that a
// Store over it takes the same paths as over d: hiding driver.StagesReader
// would make Stages fall back to three Gets and count three calls where
// the driver makes one; offering it for a driver without it would count
// one where the driver makes three. Each call that reaches the backend
// (every method but ErrorCode, As, ErrorAs and Close) counts once and
// waits the latency once.
func Wrap(d driver.Secret, l *Latency, c *Counter) driver.Secret {
	s := &slow{Secret: d, lat: l, cnt: c}
	cas, hasCAS := d.(driver.CompareAndSwapper)
	sr, hasStages := d.(driver.StagesReader)
	de, hasDestroy := d.(driver.Destroyer)
	cp, sp, dp := casPart{s, cas}, stagesPart{s, sr}, destroyPart{s, de}
	switch {
	case hasCAS && hasStages && hasDestroy:
		return struct {
			*slow
			casPart
			stagesPart
			destroyPart
		}{s, cp, sp, dp}
	case hasCAS && hasStages:
		return struct {
			*slow
			casPart
			stagesPart
		}{s, cp, sp}
	case hasCAS && hasDestroy:
		return struct {
			*slow
			casPart
			destroyPart
		}{s, cp, dp}
	case hasStages && hasDestroy:
		return struct {
			*slow
			stagesPart
			destroyPart
		}{s, sp, dp}
	case hasCAS:
		return struct {
			*slow
			casPart
		}{s, cp}
	case hasStages:
		return struct {
			*slow
			stagesPart
		}{s, sp}
	case hasDestroy:
		return struct {
			*slow
			destroyPart
		}{s, dp}
	}
	return s
}

type slow struct {
	driver.Secret
	lat *Latency
	cnt *Counter
}

// wait is one round trip: it counts the call and waits the latency, or
// until ctx ends.
func (s *slow) wait(ctx context.Context) error {
	s.cnt.n.Add(1)
	start := time.Now()
	defer s.cnt.record(start)
	d := time.Duration(s.lat.d.Load())
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s *slow) Get(ctx context.Context, sel driver.Selector) (*driver.Version, error) {
	if err := s.wait(ctx); err != nil {
		return nil, err
	}
	return s.Secret.Get(ctx, sel)
}

func (s *slow) Put(ctx context.Context, req *driver.PutRequest) (string, error) {
	if err := s.wait(ctx); err != nil {
		return "", err
	}
	return s.Secret.Put(ctx, req)
}

func (s *slow) Promote(ctx context.Context, id string) error {
	if err := s.wait(ctx); err != nil {
		return err
	}
	return s.Secret.Promote(ctx, id)
}

func (s *slow) Retire(ctx context.Context, id string) error {
	if err := s.wait(ctx); err != nil {
		return err
	}
	return s.Secret.Retire(ctx, id)
}

func (s *slow) List(ctx context.Context) ([]*driver.VersionInfo, error) {
	if err := s.wait(ctx); err != nil {
		return nil, err
	}
	return s.Secret.List(ctx)
}

func (s *slow) Delete(ctx context.Context) error {
	if err := s.wait(ctx); err != nil {
		return err
	}
	return s.Secret.Delete(ctx)
}

// casPart, stagesPart and destroyPart carry one optional capability each;
// Wrap embeds those the wrapped driver has.
type casPart struct {
	s   *slow
	cas driver.CompareAndSwapper
}

func (p casPart) PutIf(ctx context.Context, req *driver.PutRequest, pre driver.Precondition) (string, error) {
	if err := p.s.wait(ctx); err != nil {
		return "", err
	}
	return p.cas.PutIf(ctx, req, pre)
}

func (p casPart) PromoteIf(ctx context.Context, id string, pre driver.Precondition) error {
	if err := p.s.wait(ctx); err != nil {
		return err
	}
	return p.cas.PromoteIf(ctx, id, pre)
}

type stagesPart struct {
	s  *slow
	sr driver.StagesReader
}

// ReadStages is one call: the driver serves it in one step.
func (p stagesPart) ReadStages(ctx context.Context) (*driver.Stages, error) {
	if err := p.s.wait(ctx); err != nil {
		return nil, err
	}
	return p.sr.ReadStages(ctx)
}

type destroyPart struct {
	s  *slow
	de driver.Destroyer
}

func (p destroyPart) Destroy(ctx context.Context, id string) error {
	if err := p.s.wait(ctx); err != nil {
		return err
	}
	return p.de.Destroy(ctx, id)
}
