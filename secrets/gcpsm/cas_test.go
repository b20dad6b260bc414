package gcpsm

import (
	"context"
	"testing"

	"cloud.google.com/go/secretmanager/apiv1/secretmanagerpb"
	"github.com/snowpat/snowpat/secrets"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
)

// A PutIf whose commit loses the etag race to another writer re-reads,
// finds its precondition broken, and conflicts; the version it had added
// is marked aborted, destroyed, and never listed.
func TestEtagRaceConflicts(t *testing.T) {
	for _, code := range []codes.Code{codes.Aborted, codes.FailedPrecondition} {
		t.Run(code.String(), func(t *testing.T) {
			f := newFixture(t)
			f.srv.SetEtagCode(code)
			ctx := context.Background()
			a, err := f.store.Put(ctx, []byte("a"), nil)
			require.NoError(t, err)

			g := f.srv.Hold("UpdateSecret")
			done := make(chan error)
			go func() {
				_, err := f.store.PutIf(ctx, []byte("mine"), secrets.IfCurrent(a), nil)
				done <- err
			}()
			<-g.Arrived()
			// The other writer commits first, through its own Store (only
			// the first UpdateSecret is held); the held one's etag is now
			// stale.
			other, err := New(f.client, testName)
			require.NoError(t, err)
			b, err := other.Put(ctx, []byte("theirs"), nil)
			require.NoError(t, err)
			g.Release()
			err = <-done
			assert.ErrorIs(t, err, secrets.ErrConflict)

			vs, err := f.store.List(ctx)
			require.NoError(t, err)
			ids := []string{}
			for _, v := range vs {
				ids = append(ids, v.ID)
			}
			assert.Equal(t, []string{a, b}, ids, "the aborted version is not listed")
			sec := f.secret(t)
			assert.Equal(t, "2", sec.Annotations["snowpat.aborted"])
			assert.Equal(t, secretmanagerpb.SecretVersion_DESTROYED, f.version(t, "2").State)
		})
	}
}

// A plain Put that loses the race simply re-reads and commits on top.
func TestEtagRaceRetries(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	_, err := f.store.Put(ctx, []byte("a"), nil)
	require.NoError(t, err)
	g := f.srv.Hold("UpdateSecret")
	done := make(chan string)
	go func() {
		id, err := f.store.Put(ctx, []byte("mine"), nil)
		assert.NoError(t, err)
		done <- id
	}()
	<-g.Arrived()
	other, err := New(f.client, testName)
	require.NoError(t, err)
	theirs, err := other.Put(ctx, []byte("theirs"), nil)
	require.NoError(t, err)
	g.Release()
	mine := <-done
	cur, err := f.store.Current(ctx)
	require.NoError(t, err)
	prev, err := f.store.ByStage(ctx, secrets.StagePrevious)
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{mine, theirs}, []string{cur.ID, prev.ID})
}

// A Put cancelled while its commit is in flight returns context.Canceled
// and leaves nothing visible: the version it added is aborted on a
// context of the driver's own.
func TestCancelDuringCommit(t *testing.T) {
	f := newFixture(t)
	a, err := f.store.Put(context.Background(), []byte("a"), nil)
	require.NoError(t, err)
	g := f.srv.Hold("UpdateSecret")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() {
		_, err := f.store.Put(ctx, []byte("never"), nil)
		done <- err
	}()
	<-g.Arrived()
	cancel()
	err = <-done
	assert.ErrorIs(t, err, context.Canceled)
	assert.NotErrorIs(t, err, secrets.ErrUnavailable)
	vs, err := f.store.List(context.Background())
	require.NoError(t, err)
	require.Len(t, vs, 1)
	assert.Equal(t, a, vs[0].ID)
	assert.Equal(t, "2", f.secret(t).Annotations["snowpat.aborted"])
}
