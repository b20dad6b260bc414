package secrets_test

import (
	"bytes"
	"context"
	"encoding/gob"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/snowpat/snowpat/secrets"
	"github.com/snowpat/snowpat/secrets/driver"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// staged is a driver without driver.StagesReader whose Get answers per
// stage: a version holding the stage, or the error set for it. When
// barrier is set, each Get by stage waits until all three have arrived.
type staged struct {
	*spy
	errs    map[driver.Stage]error
	barrier *barrier

	mu   sync.Mutex
	asks []driver.Stage
}

func (d *staged) Get(ctx context.Context, sel driver.Selector) (*driver.Version, error) {
	d.mu.Lock()
	d.asks = append(d.asks, sel.Stage)
	d.mu.Unlock()
	if d.barrier != nil {
		if err := d.barrier.arriveAndWait(ctx); err != nil {
			return nil, err
		}
	}
	if err := d.errs[sel.Stage]; err != nil {
		return nil, err
	}
	return versionAt(sel.Stage), nil
}

func (d *staged) Asks() []driver.Stage {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]driver.Stage(nil), d.asks...)
}

// ErrorCode classifies by the coded errors below.
func (d *staged) ErrorCode(err error) driver.ErrorCode {
	if c, ok := errors.AsType[*codedErr](err); ok {
		return c.code
	}
	return driver.CodeUnknown
}

type codedErr struct{ code driver.ErrorCode }

func (c *codedErr) Error() string { return "backend says " + c.code.String() }

// versionAt is the version a fake backend holds at st: its id and value
// name the stage.
func versionAt(st driver.Stage) *driver.Version {
	return &driver.Version{
		VersionInfo: driver.VersionInfo{ID: "v-" + st.String(), Stage: st, Enabled: true, Created: time.Unix(1700000000, 0)},
		Value:       []byte("value of " + st.String()),
	}
}

// barrier lets its callers through once n of them have arrived.
type barrier struct {
	mu  sync.Mutex
	n   int
	all chan struct{}
}

func newBarrier(n int) *barrier { return &barrier{n: n, all: make(chan struct{})} }

func (b *barrier) arriveAndWait(ctx context.Context) error {
	b.mu.Lock()
	if b.n--; b.n == 0 {
		close(b.all)
	}
	b.mu.Unlock()
	select {
	case <-b.all:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Without driver.StagesReader, Stages issues the three Gets at once: each
// Get here waits until all three have arrived, so reads issued one after
// the other would wait for ever. The bubble's clock makes "for ever" the
// context's hour, reached at once, and the error says so.
func TestStagesFallbackReadsConcurrently(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		d := &staged{spy: &spy{}, barrier: newBarrier(3)}
		s := secrets.NewStore(d)
		assert.False(t, s.SupportsStagesSnapshot())
		ctx, cancel := context.WithTimeout(t.Context(), time.Hour)
		defer cancel()
		got, err := s.Stages(ctx)
		require.NoError(t, err, "the three reads were not in flight together")
		assert.ElementsMatch(t, []driver.Stage{driver.StageCurrent, driver.StagePending, driver.StagePrevious}, d.Asks(),
			"one Get per stage, and nothing else")
		for _, st := range []secrets.Stage{secrets.StageCurrent, secrets.StagePending, secrets.StagePrevious} {
			v := got.ByStage(st)
			require.NotNil(t, v, st.String())
			assert.Equal(t, "v-"+st.String(), v.ID)
			assert.Equal(t, st, v.Stage)
			assert.Equal(t, "value of "+st.String(), string(v.Value()))
		}
		assert.Nil(t, got.ByStage(secrets.StageNone))
	})
}

// The fallback's answer is what the three ByStage reads say: absent
// stages are nil, ErrNotFound only when all three are absent, and any
// other failure is the result, with no stages, the first in stage order
// winning.
func TestStagesFallbackResults(t *testing.T) {
	notFound := &codedErr{driver.CodeNotFound}
	unavailable := &codedErr{driver.CodeUnavailable}
	denied := &codedErr{driver.CodePermissionDenied}
	cur, pen, prev := driver.StageCurrent, driver.StagePending, driver.StagePrevious
	for _, c := range []struct {
		name     string
		errs     map[driver.Stage]error
		wantErr  error // a sentinel, or nil
		wantHeld []secrets.Stage
	}{
		{"all held", nil, nil, []secrets.Stage{secrets.StageCurrent, secrets.StagePending, secrets.StagePrevious}},
		{"current only", map[driver.Stage]error{pen: notFound, prev: notFound}, nil, []secrets.Stage{secrets.StageCurrent}},
		{"pending only", map[driver.Stage]error{cur: notFound, prev: notFound}, nil, []secrets.Stage{secrets.StagePending}},
		{"none held", map[driver.Stage]error{cur: notFound, pen: notFound, prev: notFound}, secrets.ErrNotFound, nil},
		{"one read fails", map[driver.Stage]error{pen: unavailable}, secrets.ErrUnavailable, nil},
		{"a failure is not an absence", map[driver.Stage]error{cur: notFound, pen: notFound, prev: unavailable}, secrets.ErrUnavailable, nil},
		{"first failure in stage order", map[driver.Stage]error{cur: denied, pen: unavailable}, secrets.ErrPermissionDenied, nil},
		{"unclassified failure", map[driver.Stage]error{prev: errors.New("odd")}, nil, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := secrets.NewStore(&staged{spy: &spy{}, errs: c.errs})
			got, err := s.Stages(t.Context())
			failed := c.wantErr != nil || c.wantHeld == nil
			if !failed {
				require.NoError(t, err)
				for _, st := range []secrets.Stage{secrets.StageCurrent, secrets.StagePending, secrets.StagePrevious} {
					held := false
					for _, h := range c.wantHeld {
						held = held || h == st
					}
					assert.Equal(t, held, got.ByStage(st) != nil, "stage %s", st)
				}
				return
			}
			require.Error(t, err)
			assert.Equal(t, secrets.Stages{}, got, "a failed Stages returns no stages")
			var e *secrets.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, "Stages", e.Op)
			assert.Equal(t, c.wantErr, e.Kind)
			if c.wantErr != nil {
				var ce *codedErr
				require.ErrorAs(t, err, &ce, "the driver's error stays reachable")
			}
		})
	}
}

// A context that ends while the reads are in flight gives the context's
// error, never a kind that invites a retry or reads as absence.
func TestStagesFallbackContextEnds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// Four arrivals never come: every read waits for the context.
		d := &staged{spy: &spy{}, barrier: newBarrier(4)}
		s := secrets.NewStore(d)
		ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
		defer cancel()
		_, err := s.Stages(ctx)
		require.ErrorIs(t, err, context.DeadlineExceeded)
		for _, k := range []error{secrets.ErrNotFound, secrets.ErrUnavailable} {
			assert.NotErrorIs(t, err, k)
		}
	})
}

// snapshotSpy is a driver with driver.StagesReader.
type snapshotSpy struct {
	*spy
	stages *driver.Stages
}

func (d *snapshotSpy) ReadStages(context.Context) (*driver.Stages, error) {
	d.record("ReadStages")
	return d.stages, d.err
}

// A driver that reads every stage at once is asked once, and no Get is
// made; its not-found and its other errors map as Get's do.
func TestStagesUsesStagesReader(t *testing.T) {
	d := &snapshotSpy{spy: &spy{}, stages: &driver.Stages{Current: versionAt(driver.StageCurrent), Previous: versionAt(driver.StagePrevious)}}
	s := secrets.NewStore(d)
	assert.True(t, s.SupportsStagesSnapshot())
	got, err := s.Stages(t.Context())
	require.NoError(t, err)
	assert.Equal(t, []string{"ReadStages"}, d.Calls())
	require.NotNil(t, got.Current)
	assert.Equal(t, "v-current", got.Current.ID)
	assert.Equal(t, "value of current", string(got.Current.Value()))
	assert.Nil(t, got.Pending)
	require.NotNil(t, got.Previous)
	assert.Equal(t, secrets.StagePrevious, got.Previous.Stage)

	for code, kind := range map[driver.ErrorCode]error{driver.CodeNotFound: secrets.ErrNotFound, driver.CodeUnavailable: secrets.ErrUnavailable} {
		d := &snapshotSpy{spy: &spy{err: &native{status: 500}, code: code}}
		got, err := secrets.NewStore(d).Stages(t.Context())
		require.ErrorIs(t, err, kind)
		var n *native
		require.ErrorAs(t, err, &n)
		assert.Equal(t, secrets.Stages{}, got)
	}

	// A driver that answers "nothing held" without its not-found still
	// gives callers the documented ErrNotFound.
	for _, empty := range []*driver.Stages{nil, {}} {
		_, err := secrets.NewStore(&snapshotSpy{spy: &spy{}, stages: empty}).Stages(t.Context())
		require.ErrorIs(t, err, secrets.ErrNotFound)
	}
}

// Stages checks what every method checks before calling the driver.
func TestStagesRefusedBeforeDriver(t *testing.T) {
	d := &snapshotSpy{spy: &spy{}}
	s := secrets.NewStore(d)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := s.Stages(ctx)
	require.ErrorIs(t, err, context.Canceled)
	require.NoError(t, s.Close())
	_, err = s.Stages(t.Context())
	require.ErrorIs(t, err, secrets.ErrInvalidArgument)
	assert.Equal(t, []string{"Close"}, d.Calls(), "the driver was asked")
}

// Stages holds Versions, and no fmt verb, encoder or logger shows their
// values through it.
func TestStagesRedaction(t *testing.T) {
	d := &snapshotSpy{spy: &spy{}, stages: &driver.Stages{Current: &driver.Version{
		VersionInfo: driver.VersionInfo{ID: "42", Stage: driver.StageCurrent, Enabled: true, Created: time.Unix(1700000000, 0)},
		Value:       []byte(secretText),
	}}}
	got, err := secrets.NewStore(d).Stages(t.Context())
	require.NoError(t, err)
	var outputs []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d"} {
		outputs = append(outputs, fmt.Sprintf(verb, got), fmt.Sprintf(verb, &got))
	}
	j, err := json.Marshal(got)
	require.NoError(t, err)
	outputs = append(outputs, string(j))
	var g bytes.Buffer
	require.NoError(t, gob.NewEncoder(&g).Encode(got))
	outputs = append(outputs, g.String())
	var logs bytes.Buffer
	for _, h := range []slog.Handler{slog.NewJSONHandler(&logs, nil), slog.NewTextHandler(&logs, nil)} {
		slog.New(h).Info("observed", "stages", got, "ptr", &got)
	}
	outputs = append(outputs, logs.String())
	for _, out := range outputs {
		assert.NotContains(t, out, secretText)
		assert.NotContains(t, out, fmt.Sprintf("%x", secretText))
	}
	assert.Contains(t, string(j), `"id":"42"`, "the redacted form still says which version")
	assert.Contains(t, string(j), `"pending":null`)
}
