package slowstore

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/snowpat/snowpat/secrets/driver"
)

// Counter counts calls across every wrapped driver that shares it.
type Counter struct{ n atomic.Int64 }

// Load returns the count.
func (c *Counter) Load() int64 { return c.n.Load() }

// Reset sets the count to zero.
func (c *Counter) Reset() { c.n.Store(0) }

// Latency is shared by wrapped drivers so a benchmark can set it after
// setup; zero means no delay.
type Latency struct{ d atomic.Int64 }

// Set sets the delay before every call.
func (l *Latency) Set(d time.Duration) { l.d.Store(int64(d)) }

// Wrap returns d with the latency before every call, counted in c. The
// wrapper offers compare-and-swap exactly when d does.
func Wrap(d driver.Secret, l *Latency, c *Counter) driver.Secret {
	s := &slow{Secret: d, lat: l, cnt: c}
	if cas, ok := d.(driver.CompareAndSwapper); ok {
		return &slowCAS{slow: s, cas: cas}
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

type slowCAS struct {
	*slow
	cas driver.CompareAndSwapper
}

func (s *slowCAS) PutIf(ctx context.Context, req *driver.PutRequest, pre driver.Precondition) (string, error) {
	if err := s.wait(ctx); err != nil {
		return "", err
	}
	return s.cas.PutIf(ctx, req, pre)
}

func (s *slowCAS) PromoteIf(ctx context.Context, id string, pre driver.Precondition) error {
	if err := s.wait(ctx); err != nil {
		return err
	}
	return s.cas.PromoteIf(ctx, id, pre)
}
