package filestore

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/snowpat/snowpat/secrets"
	"github.com/stretchr/testify/require"
)

// child is a copy of the test binary running one helper test, talking to
// the parent over pipes: it writes lines to the marker pipe (its fd 3) and
// reads lines from its stdin.
type child struct {
	t      *testing.T
	cmd    *exec.Cmd
	marker *bufio.Reader
	stdin  io.WriteCloser
	output *bytes.Buffer
}

// startChild runs the test named run in a new process with env added.
func startChild(t *testing.T, run string, env ...string) *child {
	t.Helper()
	r, w, err := os.Pipe()
	require.NoError(t, err)
	cmd := exec.Command(os.Args[0], "-test.run=^"+run+"$", "-test.count=1")
	cmd.Env = append(os.Environ(), env...)
	cmd.ExtraFiles = []*os.File{w}
	out := &bytes.Buffer{}
	cmd.Stdout, cmd.Stderr = out, out
	stdin, err := cmd.StdinPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	require.NoError(t, w.Close()) // the child holds the write end now
	c := &child{t: t, cmd: cmd, marker: bufio.NewReader(r), stdin: stdin, output: out}
	t.Cleanup(func() {
		_ = r.Close()
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	return c
}

// readLine waits for the child's next marker line.
func (c *child) readLine() string {
	c.t.Helper()
	line, err := c.marker.ReadString('\n')
	if err != nil {
		_ = c.cmd.Wait()
		c.t.Fatalf("child ended without a marker (%v); its output:\n%s", err, c.output)
	}
	return strings.TrimSuffix(line, "\n")
}

// kill ends the child with SIGKILL, as a crash or an OOM kill would.
func (c *child) kill() {
	c.t.Helper()
	require.NoError(c.t, c.cmd.Process.Kill())
	err := c.cmd.Wait()
	require.Error(c.t, err, "the child exited by itself")
}

// wait lets the child finish and fails the test if it did.
func (c *child) wait() {
	c.t.Helper()
	_ = c.stdin.Close()
	if err := c.cmd.Wait(); err != nil {
		c.t.Fatalf("child failed: %v; its output:\n%s", err, c.output)
	}
}

// markerPipe is the child's end of the marker pipe.
func markerPipe() *os.File { return os.NewFile(3, "marker") }

// newWrittenStore is newStore with one version written, whose id it
// returns.
func newWrittenStore(t *testing.T, value string) (s *secrets.Store, dir, id string) {
	t.Helper()
	s, dir = newStore(t)
	id, err := s.Put(t.Context(), []byte(value), nil)
	require.NoError(t, err)
	return s, dir, id
}

// cancelAt returns a context that is cancelled when a call reaches the
// crash point named point.
func cancelAt(t *testing.T, point string) context.Context {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	crashHook = func(p string) {
		if p == point {
			cancel()
		}
	}
	t.Cleanup(func() { crashHook = nil; cancel() })
	return ctx
}

// describe summarises the secret in dir by value, so that two directories
// whose versions got different random ids compare equal when they hold the
// same values at the same stages: "absent", or one line per version.
func describe(t *testing.T, dir string) string {
	t.Helper()
	ctx := context.Background()
	s, err := OpenStore(dir)
	require.NoError(t, err)
	vs, err := s.List(ctx)
	if err != nil {
		require.ErrorIs(t, err, secrets.ErrNotFound)
		return "absent"
	}
	var lines []string
	for _, v := range vs {
		value, err := os.ReadFile(filepath.Join(dir, versionPrefix+v.ID))
		require.NoError(t, err, "the state names version %s but its file is unreadable", v.ID)
		if v.Enabled {
			got, err := s.ByID(ctx, v.ID)
			require.NoError(t, err)
			require.Equal(t, value, got.Value())
		}
		lines = append(lines, fmt.Sprintf("%s %s enabled=%t %v", value, v.Stage, v.Enabled, v.Metadata))
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}

// checkClean fails unless dir holds exactly the files the state names.
func checkClean(t *testing.T, dir string) {
	t.Helper()
	sec, err := openSecret(dir)
	require.NoError(t, err)
	set, err := sec.load()
	require.NoError(t, err)
	want := map[string]bool{lockName: true, stateName: true}
	for _, r := range set.Records {
		want[versionPrefix+r.ID] = true
	}
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	got := map[string]bool{}
	for _, e := range entries {
		got[e.Name()] = true
	}
	require.Equal(t, slices.Sorted(maps.Keys(want)), slices.Sorted(maps.Keys(got)))
}

// copyDir copies the regular files of src into a new directory.
func copyDir(t *testing.T, src string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "copy")
	require.NoError(t, os.Mkdir(dst, 0o700))
	entries, err := os.ReadDir(src)
	require.NoError(t, err)
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(src, e.Name()))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dst, e.Name()), data, 0o600))
	}
	return dst
}
