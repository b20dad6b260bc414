package vaulttest

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/snowpat/snowpat/secrets"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Stages reads the stage record once and then the versions it names: one
// request plus one per held stage, where the three ByStage reads make two
// each for a held stage and one for an absent one.
func TestStagesRequests(t *testing.T) {
	srv := Start(t, 1000)
	proxy := NewProxy(t, srv)
	path := "count/stages"
	s := openStore(t, srv.ClientAt(t, proxy.Addr()), path)
	require.True(t, s.SupportsStagesSnapshot())
	ctx := t.Context()
	reads := func() int { return proxy.Calls("GET", Mount+"/data/"+path) }
	// cost returns the GETs of Stages and of the three ByStage reads.
	cost := func() (stages, byStage int) {
		before := reads()
		_, err := s.Stages(ctx)
		require.NoError(t, err)
		stages = reads() - before
		for _, st := range []secrets.Stage{secrets.StageCurrent, secrets.StagePending, secrets.StagePrevious} {
			_, _ = s.ByStage(ctx, st)
		}
		return stages, reads() - before - stages
	}

	a, err := s.Put(ctx, []byte("pat-a"), nil)
	require.NoError(t, err)
	st, bs := cost()
	assert.Equal(t, 2, st, "current only: the record and one version")
	assert.Equal(t, 4, bs)

	_, err = s.Put(ctx, []byte("pat-b"), nil)
	require.NoError(t, err)
	_, err = s.PutPending(ctx, []byte("pat-p"), nil)
	require.NoError(t, err)
	st, bs = cost()
	assert.Equal(t, 4, st, "all three stages: the record and three versions")
	assert.Equal(t, 6, bs)

	require.NoError(t, s.Retire(ctx, a))
	got, err := s.Stages(ctx)
	require.NoError(t, err)
	assert.Nil(t, got.Previous, "a retired previous version holds no stage")
}

// The version reads are concurrent, so that Stages waits two round trips
// whatever the stages held: each read is held at the proxy until all
// three have arrived, which reads issued one after the other never would.
func TestStagesReadsVersionsConcurrently(t *testing.T) {
	srv := Start(t, 1000)
	proxy := NewProxy(t, srv)
	path := "concurrent/stages"
	s := openStore(t, srv.ClientAt(t, proxy.Addr()), path)
	ctx := t.Context()
	for _, v := range []string{"pat-a", "pat-b"} {
		_, err := s.Put(ctx, []byte(v), nil)
		require.NoError(t, err)
	}
	_, err := s.PutPending(ctx, []byte("pat-p"), nil)
	require.NoError(t, err)

	// Holds match in order: the first GET below the path is the record's.
	record := proxy.Hold(t, "GET", Mount+"/data/"+path)
	versions := []*Gate{proxy.Hold(t, "GET", Mount+"/data/"+path), proxy.Hold(t, "GET", Mount+"/data/"+path), proxy.Hold(t, "GET", Mount+"/data/"+path)}
	type result struct {
		got secrets.Stages
		err error
	}
	done := make(chan result, 1)
	// The deadline only ends a test that would otherwise hang: reads made
	// one after the other never all arrive, and the held one would wait
	// for ever.
	guarded, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	go func() {
		got, err := s.Stages(guarded)
		done <- result{got, err}
	}()
	<-record.Arrived()
	record.Release()
	for _, g := range versions {
		select {
		case <-g.Arrived():
		case r := <-done:
			t.Fatalf("Stages returned (%v) before its three version reads were in flight together", r.err)
		}
	}
	for _, g := range versions {
		g.Release()
	}
	r := <-done
	require.NoError(t, r.err)
	assert.Equal(t, "pat-b", string(r.got.Current.Value()))
	assert.Equal(t, "pat-a", string(r.got.Previous.Value()))
	assert.Equal(t, "pat-p", string(r.got.Pending.Value()))
}

// A failed read of one version fails Stages: the stage is not reported
// absent, and no other stage is returned without it.
func TestStagesOneVersionReadFails(t *testing.T) {
	srv := Start(t, 1000)
	proxy := NewProxy(t, srv)
	path := "partial/stages"
	s := openStore(t, srv.ClientAt(t, proxy.Addr()), path)
	ctx := t.Context()
	_, err := s.Put(ctx, []byte("pat-a"), nil)
	require.NoError(t, err)
	p, err := s.PutPending(ctx, []byte("pat-p"), nil)
	require.NoError(t, err)

	proxy.FailNext("GET", Mount+"/data/"+path, Fault{Status: http.StatusForbidden, Message: "permission denied", Exact: true, Query: "version=" + p})
	got, err := s.Stages(ctx)
	require.ErrorIs(t, err, secrets.ErrPermissionDenied)
	assert.Equal(t, secrets.Stages{}, got)
	assert.NotErrorIs(t, err, secrets.ErrNotFound)

	// Once Vault answers again, the same read succeeds: the fault was
	// the pending version's read and nothing else.
	got, err = s.Stages(ctx)
	require.NoError(t, err)
	assert.Equal(t, p, got.Pending.ID)
}
