package filestore

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/snowpat/snowpat/secrets"
	"github.com/stretchr/testify/require"
)

const (
	envCrashDir     = "SNOWPAT_FILESTORE_CRASH_DIR"
	envCrashOp      = "SNOWPAT_FILESTORE_CRASH_OP"
	envCrashPoint   = "SNOWPAT_FILESTORE_CRASH_POINT"
	envCrashPending = "SNOWPAT_FILESTORE_CRASH_PENDING"
)

// crashValue is what the put operations write.
var crashValue = []byte("new-value-written-by-the-crashing-child")

var (
	writePoints = []string{
		"version:temp-synced", "version:renamed", "version:dir-synced",
		"state:temp-synced", "state:renamed", "state:dir-synced",
	}
	statePoints = []string{"state:temp-synced", "state:renamed", "state:dir-synced"}
)

// crashOps are the operations a child is killed in the middle of, with
// the crash points each passes and the first of them at which the change
// has happened (the commit point).
var crashOps = []struct {
	name   string
	points []string
	commit string
	run    func(ctx context.Context, s *secrets.Store, pending string) error
}{
	{"put", writePoints, "state:renamed", func(ctx context.Context, s *secrets.Store, _ string) error {
		_, err := s.Put(ctx, crashValue, &secrets.PutOptions{Metadata: map[string]string{"by": "child"}})
		return err
	}},
	{"put-pending", writePoints, "state:renamed", func(ctx context.Context, s *secrets.Store, _ string) error {
		_, err := s.PutPending(ctx, crashValue, nil)
		return err
	}},
	{"put-if", writePoints, "state:renamed", func(ctx context.Context, s *secrets.Store, _ string) error {
		cur, err := s.Current(ctx)
		if err != nil {
			return err
		}
		_, err = s.PutIf(ctx, crashValue, secrets.IfCurrent(cur.ID), nil)
		return err
	}},
	{"promote", statePoints, "state:renamed", func(ctx context.Context, s *secrets.Store, pending string) error {
		return s.Promote(ctx, pending)
	}},
	{"retire", statePoints, "state:renamed", func(ctx context.Context, s *secrets.Store, pending string) error {
		return s.Retire(ctx, pending)
	}},
	{"delete", []string{"delete:state-removed", "delete:version-removed"}, "delete:state-removed",
		func(ctx context.Context, s *secrets.Store, _ string) error { return s.Delete(ctx) }},
}

// TestCrash kills a process in the middle of each write at each point
// where the directory is in a distinct state, and checks that the secret
// is then exactly as before the write (killed before the commit point) or
// exactly as after it (killed at or after), that the state names no
// missing file, and that the next write works and cleans up.
func TestCrash(t *testing.T) {
	for _, op := range crashOps {
		for _, point := range op.points {
			t.Run(op.name+"/"+point, func(t *testing.T) {
				ctx := t.Context()
				dir := filepath.Join(t.TempDir(), "secret")
				s, err := OpenStore(dir)
				require.NoError(t, err)
				_, err = s.Put(ctx, []byte("old-previous"), nil)
				require.NoError(t, err)
				_, err = s.Put(ctx, []byte("old-current"), nil)
				require.NoError(t, err)
				pending, err := s.PutPending(ctx, []byte("old-pending"), nil)
				require.NoError(t, err)

				before := describe(t, dir)
				// What success looks like: the same operation, uninterrupted,
				// on a copy.
				cp := copyDir(t, dir)
				cs, err := OpenStore(cp)
				require.NoError(t, err)
				require.NoError(t, op.run(ctx, cs, pending))
				after := describe(t, cp)
				require.NotEqual(t, before, after)

				c := startChild(t, "TestCrashChild",
					envCrashDir+"="+dir, envCrashOp+"="+op.name, envCrashPoint+"="+point, envCrashPending+"="+pending)
				require.Equal(t, point, c.readLine(), "the child did not stop at the crash point")
				c.kill()

				want := before
				if indexOf(op.points, point) >= indexOf(op.points, op.commit) {
					want = after
				}
				require.Equal(t, want, describe(t, dir))

				// The next write succeeds and removes the crash's leftovers.
				_, err = s.Put(ctx, []byte("after-the-crash"), nil)
				require.NoError(t, err)
				checkClean(t, dir)
			})
		}
	}
}

func indexOf(s []string, x string) int {
	for i, v := range s {
		if v == x {
			return i
		}
	}
	panic("no " + x)
}

// TestCrashChild is the process TestCrash kills: it runs one operation and
// stops at the chosen crash point, says so on the marker pipe and waits to
// be killed.
func TestCrashChild(t *testing.T) {
	dir := os.Getenv(envCrashDir)
	if dir == "" {
		t.Skip("a helper process for TestCrash")
	}
	marker := markerPipe()
	point := os.Getenv(envCrashPoint)
	crashHook = func(p string) {
		if p != point {
			return
		}
		fmt.Fprintln(marker, p)
		// Block until killed. Stdin ends only if the parent has gone, and
		// then finishing the write would hide nothing: exit instead.
		_, _ = io.Copy(io.Discard, os.Stdin)
		os.Exit(3)
	}
	s, err := OpenStore(dir)
	require.NoError(t, err)
	for _, op := range crashOps {
		if op.name == os.Getenv(envCrashOp) {
			err := op.run(context.Background(), s, os.Getenv(envCrashPending))
			fmt.Fprintf(marker, "finished without reaching %s: %v\n", point, err)
			return
		}
	}
	t.Fatalf("unknown operation %q", os.Getenv(envCrashOp))
}
