package storetest

import (
	"context"
	"errors"
	"time"

	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/driver"
)

var contextCases = []testCase{
	{"cancelled-context", anyBackend, testCancelled},
	{"expired-deadline", anyBackend, testDeadline},
	{"driver-honours-cancelled-context", anyBackend, testDriverCancelled},
}

// call is one Store operation run under a given context.
type call struct {
	name string
	run  func(ctx context.Context) error
}

// storeCalls returns every Store operation, writes aimed at existing
// versions so that only the context can make them fail.
func (e *env) storeCalls(cur, pending string) []call {
	v := e.value("never-written")
	calls := []call{
		{"Put", func(ctx context.Context) error { _, err := e.s.Put(ctx, v, nil); return err }},
		{"PutPending", func(ctx context.Context) error { _, err := e.s.PutPending(ctx, v, nil); return err }},
		{"Promote", func(ctx context.Context) error { return e.s.Promote(ctx, pending) }},
		{"Retire", func(ctx context.Context) error { return e.s.Retire(ctx, pending) }},
		{"Current", func(ctx context.Context) error { _, err := e.s.Current(ctx); return err }},
		{"ByID", func(ctx context.Context) error { _, err := e.s.ByID(ctx, cur); return err }},
		{"ByStage", func(ctx context.Context) error { _, err := e.s.ByStage(ctx, secrets.StagePending); return err }},
		{"Stages", func(ctx context.Context) error { _, err := e.s.Stages(ctx); return err }},
		{"List", func(ctx context.Context) error { _, err := e.s.List(ctx); return err }},
		{"Delete", func(ctx context.Context) error { return e.s.Delete(ctx) }},
	}
	if e.s.SupportsCompareAndSwap() {
		calls = append(calls,
			call{"PutIf", func(ctx context.Context) error { _, err := e.s.PutIf(ctx, v, secrets.IfCurrent(cur), nil); return err }},
			call{"PutPendingIf", func(ctx context.Context) error {
				_, err := e.s.PutPendingIf(ctx, v, secrets.IfCurrent(cur), nil)
				return err
			}},
			call{"PromoteIf", func(ctx context.Context) error { return e.s.PromoteIf(ctx, pending, secrets.IfCurrent(cur)) }},
		)
	}
	return calls
}

// A cancelled context fails every operation with an error that is
// context.Canceled (not ErrUnavailable, which would invite a retry) and
// changes nothing.
func testCancelled(e *env) {
	ctx, cancel := context.WithCancel(e.ctx)
	cancel()
	e.wantContextErrors(ctx, context.Canceled)
}

// An expired deadline does the same with context.DeadlineExceeded.
func testDeadline(e *env) {
	ctx, cancel := context.WithDeadline(e.ctx, time.Unix(0, 0))
	defer cancel()
	e.wantContextErrors(ctx, context.DeadlineExceeded)
}

func (e *env) wantContextErrors(ctx context.Context, want error) {
	e.t.Helper()
	cur := e.mustPut(e.value("cur"), nil)
	pending := e.mustPutPending(e.value("pending"), nil)
	before := e.list()
	for _, c := range e.storeCalls(cur, pending) {
		err := e.seen(c.run(ctx))
		if !errors.Is(err, want) {
			e.t.Errorf("%s: got %v, want an error matching %v", c.name, err, want)
		}
		for _, k := range allKinds {
			if errors.Is(err, k) {
				e.t.Errorf("%s: %v also matches %v", c.name, err, k)
			}
		}
	}
	e.unchanged("calls with a done context", before)
}

// The Store checks the context before calling the driver, which would
// hide a driver that ignores it; so the driver is called directly too. A
// backend client may take a moment to notice, but must not commit.
func testDriverCancelled(e *env) {
	cur := e.mustPut(e.value("cur"), nil)
	pending := e.mustPutPending(e.value("pending"), nil)
	before := e.list()
	d := e.driver()
	ctx, cancel := context.WithCancel(e.ctx)
	cancel()
	req := &driver.PutRequest{Value: e.value("never-written")}
	calls := []call{
		{"Put", func(ctx context.Context) error { _, err := d.Put(ctx, req); return err }},
		{"Put pending", func(ctx context.Context) error {
			_, err := d.Put(ctx, &driver.PutRequest{Value: req.Value, Pending: true})
			return err
		}},
		{"Promote", func(ctx context.Context) error { return d.Promote(ctx, pending) }},
		{"Retire", func(ctx context.Context) error { return d.Retire(ctx, pending) }},
		{"Get", func(ctx context.Context) error { _, err := d.Get(ctx, driver.Selector{ID: cur}); return err }},
		{"List", func(ctx context.Context) error { _, err := d.List(ctx); return err }},
		{"Delete", func(ctx context.Context) error { return d.Delete(ctx) }},
	}
	if cas, ok := d.(driver.CompareAndSwapper); ok {
		calls = append(calls,
			call{"PutIf", func(ctx context.Context) error {
				_, err := cas.PutIf(ctx, req, driver.Precondition{CurrentID: cur})
				return err
			}},
			call{"PromoteIf", func(ctx context.Context) error {
				return cas.PromoteIf(ctx, pending, driver.Precondition{CurrentID: cur})
			}},
		)
	}
	if sr, ok := d.(driver.StagesReader); ok {
		calls = append(calls, call{"ReadStages", func(ctx context.Context) error { _, err := sr.ReadStages(ctx); return err }})
	}
	for _, c := range calls {
		if err := e.seen(c.run(ctx)); !errors.Is(err, context.Canceled) {
			e.t.Errorf("driver %s with a cancelled context: got %v, want an error matching context.Canceled", c.name, err)
		}
	}
	e.unchanged("driver calls with a cancelled context", before)
}
