package filestore

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/snowpat/snowpat/secrets"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func newStore(t *testing.T) (*secrets.Store, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "secret")
	s, err := OpenStore(dir)
	require.NoError(t, err)
	return s, dir
}

// The directory is 0700 and every file 0600, whatever the umask allows;
// values live only in version files, never in the state file.
func TestLayoutAndPermissions(t *testing.T) {
	ctx := t.Context()
	s, dir := newStore(t)
	_, err := s.Current(ctx)
	require.ErrorIs(t, err, secrets.ErrNotFound)
	assert.ErrorIs(t, s.Promote(ctx, strings.Repeat("0", 32)), secrets.ErrNotFound)
	assert.NoDirExists(t, dir, "a read or a failed promote created the directory")

	id, err := s.Put(ctx, []byte("value-one"), &secrets.PutOptions{Metadata: map[string]string{"k": "v"}})
	require.NoError(t, err)
	_, err = s.PutPending(ctx, []byte("value-two"), nil)
	require.NoError(t, err)

	fi, err := os.Stat(dir)
	require.NoError(t, err)
	assert.Equal(t, fs.ModeDir|0o700, fi.Mode())
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 4) // lock, state.json, two versions
	for _, e := range entries {
		info, err := e.Info()
		require.NoError(t, err)
		assert.Equal(t, fs.FileMode(0o600), info.Mode(), e.Name())
	}
	v, err := os.ReadFile(filepath.Join(dir, versionPrefix+id))
	require.NoError(t, err)
	assert.Equal(t, "value-one", string(v), "a version file holds exactly its value")
	state, err := os.ReadFile(filepath.Join(dir, stateName))
	require.NoError(t, err)
	assert.NotContains(t, string(state), "value-")
	assert.Contains(t, string(state), `"format": 1`)
	checkClean(t, dir)
}

// A crash's leftovers are removed by the next write, never by a read
// (which holds only the shared lock, so a writer may own them), and only
// names filestore makes are removed: files that merely look like them stay.
func TestGarbageCollection(t *testing.T) {
	ctx := t.Context()
	s, dir := newStore(t)
	_, err := s.Put(ctx, []byte("v1"), nil)
	require.NoError(t, err)
	leftovers := []string{tempPrefix + newID(), versionPrefix + newID()}
	lookalikes := []string{tempPrefix + "123", versionPrefix + "notes.txt", versionPrefix + strings.Repeat("A", 32), "v-", "README"}
	for _, name := range append(leftovers, lookalikes...) {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o600))
	}
	_, err = s.List(ctx)
	require.NoError(t, err)
	for _, name := range leftovers {
		assert.FileExists(t, filepath.Join(dir, name), "a read removed a file")
	}
	_, err = s.Put(ctx, []byte("v2"), nil)
	require.NoError(t, err)
	for _, name := range leftovers {
		assert.NoFileExists(t, filepath.Join(dir, name), "a leftover survived the write")
	}
	for _, name := range lookalikes {
		assert.FileExists(t, filepath.Join(dir, name), "a file filestore did not make was removed")
		require.NoError(t, os.Remove(filepath.Join(dir, name)))
	}
	checkClean(t, dir)
}

// A context cancelled after the version file is written, before the state
// names it, leaves the secret unchanged and the file removed.
func TestCancelBeforeCommit(t *testing.T) {
	s, dir, _ := newWrittenStore(t, "v1")
	before := describe(t, dir)

	ctx := cancelAt(t, "version:dir-synced")
	_, err := s.Put(ctx, []byte("never"), nil)
	assert.ErrorIs(t, err, context.Canceled)
	assert.NotErrorIs(t, err, secrets.ErrUnavailable)
	assert.Equal(t, before, describe(t, dir))
	checkClean(t, dir)
}

// A directory broken by hand is reported as such, with no code a caller
// might act on wrongly (not ErrNotFound, which could prompt a re-create),
// and with the native error reachable.
func TestCorruption(t *testing.T) {
	ctx := t.Context()
	cases := map[string]func(t *testing.T, dir, id string){
		"garbage state": func(t *testing.T, dir, _ string) {
			require.NoError(t, os.WriteFile(filepath.Join(dir, stateName), []byte("{not json"), 0o600))
		},
		"future format": func(t *testing.T, dir, _ string) {
			require.NoError(t, os.WriteFile(filepath.Join(dir, stateName), []byte(`{"format":2,"versions":[]}`), 0o600))
		},
		"unknown stage": func(t *testing.T, dir, id string) {
			state := `{"format":1,"versions":[{"id":"` + id + `","stage":"staging","enabled":true}]}`
			require.NoError(t, os.WriteFile(filepath.Join(dir, stateName), []byte(state), 0o600))
		},
		"path in id": func(t *testing.T, dir, _ string) {
			state := `{"format":1,"versions":[{"id":"../../etc/passwd","stage":"current","enabled":true}]}`
			require.NoError(t, os.WriteFile(filepath.Join(dir, stateName), []byte(state), 0o600))
		},
		"two current": func(t *testing.T, dir, id string) {
			other := strings.Repeat("0", 32)
			state := `{"format":1,"versions":[{"id":"` + id + `","stage":"current","enabled":true},{"id":"` + other + `","stage":"current","enabled":true}]}`
			require.NoError(t, os.WriteFile(filepath.Join(dir, stateName), []byte(state), 0o600))
		},
		"missing version file": func(t *testing.T, dir, id string) {
			require.NoError(t, os.Remove(filepath.Join(dir, versionPrefix+id)))
		},
	}
	for name, breakIt := range cases {
		t.Run(name, func(t *testing.T) {
			s, dir := newStore(t)
			id, err := s.Put(ctx, []byte("hunter2-value"), nil)
			require.NoError(t, err)
			breakIt(t, dir, id)
			_, err = s.Current(ctx)
			require.Error(t, err)
			assert.ErrorContains(t, err, "corrupt")
			assert.NotContains(t, err.Error(), "hunter2")
			for _, kind := range []error{secrets.ErrNotFound, secrets.ErrConflict, secrets.ErrUnavailable, secrets.ErrInvalidArgument} {
				assert.NotErrorIs(t, err, kind)
			}
			_, err = s.Put(ctx, []byte("v2"), nil)
			assert.Error(t, err, "a write went ahead over a corrupt state")
		})
	}

	// A directory where the state file belongs is no regular file: refused
	// as untrusted, with the path reachable.
	t.Run("native error", func(t *testing.T) {
		s, dir, _ := newWrittenStore(t, "v")
		require.NoError(t, os.Remove(filepath.Join(dir, stateName)))
		require.NoError(t, os.Mkdir(filepath.Join(dir, stateName), 0o700))
		_, err := s.Current(ctx)
		require.ErrorIs(t, err, secrets.ErrPermissionDenied)
		var pe *fs.PathError
		require.True(t, s.ErrorAs(err, &pe))
		assert.Equal(t, filepath.Join(dir, stateName), pe.Path)
	})
}

func TestOpenStore(t *testing.T) {
	base := t.TempDir()
	for _, dir := range []string{"", "/", "rel", "./rel", base + "/a/../b", base + "/a/", base + "//a", base + "/./a", "/.."} {
		_, err := OpenStore(dir)
		assert.ErrorIs(t, err, secrets.ErrInvalidArgument, "%q", dir)
	}

	// A URL path is unescaped, and then held to the same rules.
	dir := filepath.Join(base, "with space")
	u, err := secrets.OpenStore(t.Context(), "file://"+strings.ReplaceAll(dir, " ", "%20"))
	require.NoError(t, err)
	_, err = u.Put(t.Context(), []byte("v"), nil)
	require.NoError(t, err)
	assert.DirExists(t, dir)
	for _, url := range []string{"file://" + base + "/x/%2E%2E/y", "file://" + base + "/x%2F..%2Fy", "file://" + base + "/x/"} {
		_, err := secrets.OpenStore(t.Context(), url)
		assert.ErrorIs(t, err, secrets.ErrInvalidArgument, url)
	}
}

// When the state file has been renamed into place but the directory fsync
// after it fails, the write is visible: the caller gets the error, and the
// version file the new state names must not be cleaned away.
func TestDirSyncFailsAfterCommit(t *testing.T) {
	s, dir := newStore(t)
	_, err := s.Put(t.Context(), []byte("v1"), nil)
	require.NoError(t, err)

	renamed := false
	crashHook = func(p string) { renamed = renamed || p == "state:renamed" }
	syncDir = func(d string) error {
		if renamed {
			return &fs.PathError{Op: "fsync", Path: d, Err: errors.New("injected I/O error")}
		}
		return fsyncDir(d)
	}
	defer func() { crashHook, syncDir = nil, fsyncDir }()
	_, err = s.Put(t.Context(), []byte("v2"), nil)
	require.ErrorContains(t, err, "injected I/O error")
	crashHook, syncDir = nil, fsyncDir

	cur, err := s.Current(t.Context())
	require.NoError(t, err, "the committed state names a missing version")
	assert.Equal(t, "v2", string(cur.Value()))
	checkClean(t, dir)
}

// Destroy unlinks the version's file at once: a compromised secret does
// not wait on disk for the next write's garbage collection.
func TestDestroyUnlinks(t *testing.T) {
	ctx := t.Context()
	s, dir := newStore(t)
	old, err := s.Put(ctx, []byte("leaked-value"), nil)
	require.NoError(t, err)
	_, err = s.Put(ctx, []byte("fresh-value"), nil)
	require.NoError(t, err)
	require.FileExists(t, filepath.Join(dir, versionPrefix+old))
	require.NoError(t, s.Destroy(ctx, old))
	assert.NoFileExists(t, filepath.Join(dir, versionPrefix+old))
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		require.NoError(t, err)
		assert.NotContains(t, string(b), "leaked-value", e.Name())
	}
}
