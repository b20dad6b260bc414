package filestore

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"github.com/snowpat/snowpat/secrets"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	envLockDir  = "SNOWPAT_FILESTORE_LOCK_DIR"
	envLockMode = "SNOWPAT_FILESTORE_LOCK_MODE"
	envLockName = "SNOWPAT_FILESTORE_LOCK_NAME"
	lockWrites  = 25 // per process
)

// TestLockAcrossProcesses runs two processes writing one secret at once,
// released together so that they contend. In "put" mode each Puts
// lockWrites versions: without the lock, two read-modify-writes of the
// state file interleave and one process's versions vanish. In "cas" mode
// each increments a counter with PutIf loops: the final count shows
// whether compare-and-swap lost an update across processes.
func TestLockAcrossProcesses(t *testing.T) {
	for _, mode := range []string{"put", "cas"} {
		t.Run(mode, func(t *testing.T) {
			ctx := t.Context()
			dir := filepath.Join(t.TempDir(), "secret")
			s, err := OpenStore(dir)
			require.NoError(t, err)
			_, err = s.Put(ctx, []byte("0"), nil)
			require.NoError(t, err)

			var children []*child
			for _, name := range []string{"a", "b"} {
				c := startChild(t, "TestLockChild", envLockDir+"="+dir, envLockMode+"="+mode, envLockName+"="+name)
				require.Equal(t, "ready", c.readLine())
				children = append(children, c)
			}
			for _, c := range children {
				_, err := fmt.Fprintln(c.stdin, "go")
				require.NoError(t, err)
			}
			for _, c := range children {
				c.wait()
			}

			vs, err := s.List(ctx)
			require.NoError(t, err)
			require.Len(t, vs, 1+2*lockWrites, "versions were lost")
			cur, err := s.Current(ctx)
			require.NoError(t, err)
			if mode == "cas" {
				assert.Equal(t, strconv.Itoa(2*lockWrites), string(cur.Value()), "an increment was lost")
			}
			checkClean(t, dir)
		})
	}
}

// TestLockChild is one writer process of TestLockAcrossProcesses.
func TestLockChild(t *testing.T) {
	dir := os.Getenv(envLockDir)
	if dir == "" {
		t.Skip("a helper process for TestLockAcrossProcesses")
	}
	ctx := context.Background()
	s, err := OpenStore(dir)
	require.NoError(t, err)
	fmt.Fprintln(markerPipe(), "ready")
	_, err = bufio.NewReader(os.Stdin).ReadString('\n')
	require.NoError(t, err, "waiting for the go signal")
	name := os.Getenv(envLockName)
	for i := range lockWrites {
		if os.Getenv(envLockMode) == "put" {
			_, err := s.Put(ctx, []byte(name+strconv.Itoa(i)), nil)
			require.NoError(t, err)
			continue
		}
		require.NoError(t, increment(ctx, s))
	}
}

// increment adds one to the counter in s with a compare-and-swap loop.
func increment(ctx context.Context, s *secrets.Store) error {
	for {
		cur, err := s.Current(ctx)
		if err != nil {
			return err
		}
		n, err := strconv.Atoi(string(cur.Value()))
		if err != nil {
			return err
		}
		_, err = s.PutIf(ctx, []byte(strconv.Itoa(n+1)), secrets.IfCurrent(cur.ID), nil)
		if !errors.Is(err, secrets.ErrConflict) {
			return err
		}
	}
}

// TestDeleteRacesWriters deletes the secret again and again while writers
// on separate Stores keep writing. Delete unlinks the lock file that
// waiting writers have open; each must notice and lock the new file, or
// two writers run at once and one's garbage collection removes the
// other's new version file, leaving a state that names a missing file.
func TestDeleteRacesWriters(t *testing.T) {
	ctx := t.Context()
	dir := filepath.Join(t.TempDir(), "secret")
	const writers, writes, deletes = 3, 20, 15
	var wg sync.WaitGroup
	for w := range writers {
		s, err := OpenStore(dir)
		require.NoError(t, err)
		wg.Go(func() {
			for i := range writes {
				if err := increment(ctx, s); errors.Is(err, secrets.ErrNotFound) {
					_, err = s.Put(ctx, []byte("0"), nil)
					assert.NoError(t, err, "writer %d, write %d", w, i)
				} else {
					assert.NoError(t, err, "writer %d, write %d", w, i)
				}
			}
		})
	}
	d, err := OpenStore(dir)
	require.NoError(t, err)
	wg.Go(func() {
		for range deletes {
			if err := d.Delete(ctx); err != nil {
				assert.ErrorIs(t, err, secrets.ErrNotFound)
			}
			_, _ = d.List(ctx) // a reader in the fray
		}
	})
	wg.Wait()

	// Whatever survived is whole.
	if describe(t, dir) != "absent" {
		checkClean(t, dir)
	}
}

// TestLockFollowsRecreatedFile pins down the race TestDeleteRacesWriters
// hunts for. A waits on the lock file; the file is unlinked and a new one
// created and locked; when A gets the old file's lock it must not go on
// (it would run beside the new file's holder) but wait for the new file.
// Whatever the timing, the lock A ends up with is on the file at the path.
func TestLockFollowsRecreatedFile(t *testing.T) {
	ctx := t.Context()
	dir := filepath.Join(t.TempDir(), "secret")
	sec, err := openSecret(dir)
	require.NoError(t, err)
	old, err := sec.lock(ctx, true, true)
	require.NoError(t, err)

	opened := make(chan struct{}, 1)
	crashHook = func(p string) {
		if p == "lock:opened" {
			select {
			case opened <- struct{}{}:
			default:
			}
		}
	}
	defer func() { crashHook = nil }()
	got := make(chan *os.File, 1)
	var wg sync.WaitGroup
	wg.Go(func() {
		l, err := sec.lock(ctx, true, true)
		assert.NoError(t, err)
		got <- l
	})
	<-opened // A has the old file open

	require.NoError(t, os.Remove(sec.path(lockName)))
	newer, err := sec.lock(ctx, true, true)
	require.NoError(t, err)
	require.NoError(t, old.Close()) // A may now lock the old file
	require.NoError(t, newer.Close())
	wg.Wait()
	l := <-got
	require.NotNil(t, l)
	defer closeLock(l)
	same, err := sameFile(l, sec.path(lockName))
	require.NoError(t, err)
	assert.True(t, same, "the lock taken is on an unlinked file")
}
