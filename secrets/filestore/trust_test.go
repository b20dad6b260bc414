package filestore

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/secrets"
)

// requireRefused checks that err is the permission error of a directory
// or file filestore does not trust, with the path reachable.
func requireRefused(t *testing.T, s *secrets.Store, err error, path string) {
	t.Helper()
	require.ErrorIs(t, err, secrets.ErrPermissionDenied)
	var pe *fs.PathError
	require.True(t, s.ErrorAs(err, &pe), "the *fs.PathError is not reachable")
	assert.Equal(t, path, pe.Path)
}

// A directory another user could write to, or that is not what it seems,
// is refused before any file in it is opened or made, as ssh's
// StrictModes refuses a ~/.ssh that others can write.
func TestRefusesUntrustedDirectory(t *testing.T) {
	ctx := t.Context()
	cases := map[string]func(t *testing.T, base string) (dir, refused string){
		"world-writable": func(t *testing.T, base string) (string, string) {
			dir := filepath.Join(base, "secret")
			require.NoError(t, os.Mkdir(dir, 0o700))
			require.NoError(t, os.Chmod(dir, 0o777))
			return dir, dir
		},
		"group-writable": func(t *testing.T, base string) (string, string) {
			dir := filepath.Join(base, "secret")
			require.NoError(t, os.Mkdir(dir, 0o700))
			require.NoError(t, os.Chmod(dir, 0o770))
			return dir, dir
		},
		"symlink": func(t *testing.T, base string) (string, string) {
			target := filepath.Join(base, "elsewhere")
			require.NoError(t, os.Mkdir(target, 0o700))
			dir := filepath.Join(base, "secret")
			require.NoError(t, os.Symlink(target, dir))
			return dir, dir
		},
		"dangling symlink": func(t *testing.T, base string) (string, string) {
			dir := filepath.Join(base, "secret")
			require.NoError(t, os.Symlink(filepath.Join(base, "to-be-made"), dir))
			return dir, dir
		},
		"world-writable parent without sticky bit": func(t *testing.T, base string) (string, string) {
			parent := filepath.Join(base, "shared")
			require.NoError(t, os.Mkdir(parent, 0o700))
			require.NoError(t, os.Chmod(parent, 0o777))
			return filepath.Join(parent, "secret"), parent
		},
	}
	for name, setup := range cases {
		t.Run(name, func(t *testing.T) {
			base := t.TempDir()
			dir, refused := setup(t, base)
			before := tree(t, base)
			s, err := OpenStore(dir)
			require.NoError(t, err)
			_, err = s.Put(ctx, []byte("v1"), nil)
			requireRefused(t, s, err, refused)
			_, err = s.Current(ctx)
			requireRefused(t, s, err, refused)
			assert.Equal(t, before, tree(t, base), "a refused directory was written to")
		})
	}

	t.Run("sticky world-writable parent", func(t *testing.T) {
		parent := filepath.Join(t.TempDir(), "tmp")
		require.NoError(t, os.Mkdir(parent, 0o700))
		require.NoError(t, os.Chmod(parent, 0o777|fs.ModeSticky))
		s, err := OpenStore(filepath.Join(parent, "secret"))
		require.NoError(t, err)
		_, err = s.Put(ctx, []byte("v1"), nil)
		require.NoError(t, err, "a sticky directory such as /tmp is a safe parent")
	})

	t.Run("loosened after use", func(t *testing.T) {
		s, dir, _ := newWrittenStore(t, "v1")
		require.NoError(t, os.Chmod(dir, 0o707))
		_, err := s.Current(ctx)
		requireRefused(t, s, err, dir)
	})

	t.Run("owned by another user", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "secret")
		require.NoError(t, os.Mkdir(dir, 0o700))
		sec, err := openSecret(dir)
		require.NoError(t, err)
		sec.uid++ // this process, as seen by the check, is now someone else
		s := secrets.NewStore(sec)
		_, err = s.Put(ctx, []byte("v1"), nil)
		requireRefused(t, s, err, dir)
		assert.Empty(t, tree(t, dir))
		if os.Geteuid() == 0 {
			require.NoError(t, os.Chown(dir, 4242, 4242)) // and for real, where we can
			s, err := OpenStore(dir)
			require.NoError(t, err)
			_, err = s.Put(ctx, []byte("v1"), nil)
			requireRefused(t, s, err, dir)
		}
	})
}

// No file in the directory is read, returned, locked or created through a
// symlink: a planted link is refused with the link's path in the error.
func TestNoSymlinkFollowed(t *testing.T) {
	ctx := t.Context()
	t.Run("version file", func(t *testing.T) {
		s, dir, id := newWrittenStore(t, "the-real-token")
		planted := filepath.Join(t.TempDir(), "planted")
		require.NoError(t, os.WriteFile(planted, []byte("attacker-token"), 0o600))
		path := filepath.Join(dir, versionPrefix+id)
		require.NoError(t, os.Remove(path))
		require.NoError(t, os.Symlink(planted, path))

		v, err := s.Current(ctx)
		requireRefused(t, s, err, path)
		assert.Nil(t, v)
		assert.NotContains(t, err.Error(), "attacker-token")
		_, err = s.ByID(ctx, id)
		requireRefused(t, s, err, path)
	})
	t.Run("state file", func(t *testing.T) {
		s, dir, _ := newWrittenStore(t, "v1")
		path := filepath.Join(dir, stateName)
		moved := filepath.Join(t.TempDir(), "state.json")
		require.NoError(t, os.Rename(path, moved))
		require.NoError(t, os.Symlink(moved, path))
		_, err := s.List(ctx)
		requireRefused(t, s, err, path)
		_, err = s.Put(ctx, []byte("v2"), nil)
		requireRefused(t, s, err, path)
	})
	t.Run("lock file to a missing file", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "secret")
		require.NoError(t, os.Mkdir(dir, 0o700))
		target := filepath.Join(t.TempDir(), "created-by-the-victim")
		path := filepath.Join(dir, lockName)
		require.NoError(t, os.Symlink(target, path))
		s, err := OpenStore(dir)
		require.NoError(t, err)
		_, err = s.Put(ctx, []byte("v1"), nil)
		requireRefused(t, s, err, path)
		assert.NoFileExists(t, target, "the lock file was created through the symlink")
		_, err = s.Current(ctx)
		requireRefused(t, s, err, path)
	})
	t.Run("lock file to an existing file", func(t *testing.T) {
		s, dir, _ := newWrittenStore(t, "v1")
		path := filepath.Join(dir, lockName)
		require.NoError(t, os.Remove(path))
		require.NoError(t, os.Symlink(filepath.Join(dir, stateName), path))
		_, err := s.Current(ctx)
		requireRefused(t, s, err, path)
	})
}

// tree lists the paths below dir with their types, to show that nothing
// was made or changed.
func tree(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	require.NoError(t, filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != dir {
			out = append(out, p+" "+d.Type().String())
		}
		return nil
	}))
	return out
}
