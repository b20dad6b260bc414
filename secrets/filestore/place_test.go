package filestore

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/snowpat/snowpat/secrets"
)

// A directory that holds files filestore did not make, and no state file,
// is some other program's: the first write refuses it and creates
// nothing there (no lock file either), so a URL naming /etc or ~/.ssh
// cannot put or delete a file in it.
func TestRefusesForeignDirectory(t *testing.T) {
	ctx := t.Context()
	dir := filepath.Join(t.TempDir(), "ssh")
	require.NoError(t, os.Mkdir(dir, 0o700))
	for _, name := range []string{"authorized_keys", versionPrefix + newID(), tempPrefix + newID()} {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte("keep me"), 0o600))
	}
	before := tree(t, dir)
	s, err := OpenStore(dir)
	require.NoError(t, err)
	_, err = s.Put(ctx, []byte("v1"), nil)
	require.ErrorIs(t, err, secrets.ErrInvalidArgument)
	assert.ErrorContains(t, err, "authorized_keys")
	_, err = s.Current(ctx)
	require.ErrorIs(t, err, secrets.ErrNotFound)
	assert.Equal(t, before, tree(t, dir), "a foreign directory was written to")

	// The lock exists already (say, made by hand): the write still stops
	// before garbage collection could remove the look-alike names.
	require.NoError(t, os.WriteFile(filepath.Join(dir, lockName), nil, 0o600))
	before = tree(t, dir)
	_, err = s.Put(ctx, []byte("v1"), nil)
	require.ErrorIs(t, err, secrets.ErrInvalidArgument)
	assert.Equal(t, before, tree(t, dir))
}

// An empty directory, and one holding only what a first write that
// crashed leaves (filestore's own names), is taken over.
func TestAdoptsOwnDirectory(t *testing.T) {
	ctx := t.Context()
	for name, files := range map[string][]string{
		"empty":           nil,
		"crash leftovers": {lockName, versionPrefix + newID(), tempPrefix + newID()},
	} {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "secret")
			require.NoError(t, os.Mkdir(dir, 0o700))
			for _, f := range files {
				require.NoError(t, os.WriteFile(filepath.Join(dir, f), nil, 0o600))
			}
			s, err := OpenStore(dir)
			require.NoError(t, err)
			_, err = s.Put(ctx, []byte("v1"), nil)
			require.NoError(t, err)
			checkClean(t, dir)
		})
	}
}

// An allowed root confines every directory, by path and by URL, checked
// where the directory really is (symlinks in its parent resolved).
func TestAllowedRoot(t *testing.T) {
	ctx := t.Context()
	base := t.TempDir()
	root := filepath.Join(base, "root")
	require.NoError(t, os.Mkdir(root, 0o700))
	outside := filepath.Join(base, "outside")
	require.NoError(t, os.Mkdir(outside, 0o700))
	require.NoError(t, os.Symlink(outside, filepath.Join(root, "escape")))
	linkedRoot := filepath.Join(base, "linked-root")
	require.NoError(t, os.Symlink(root, linkedRoot))
	t.Setenv(RootEnv, root)

	for _, dir := range []string{
		filepath.Join(root, "powerbi"),
		filepath.Join(root, "team", "powerbi"), // parents are made
		filepath.Join(linkedRoot, "tableau"),   // the root reached through a link
	} {
		s, err := OpenStore(dir)
		require.NoError(t, err, dir)
		_, err = s.Put(ctx, []byte("v"), nil)
		require.NoError(t, err, dir)
		u, err := secrets.OpenStore(ctx, "file://"+dir)
		require.NoError(t, err, dir)
		_, err = u.Current(ctx)
		require.NoError(t, err, dir)
	}
	for _, dir := range []string{
		root,                              // the root itself holds no secret
		filepath.Join(base, "root2", "x"), // a sibling sharing the prefix
		filepath.Join(outside, "x"),
		filepath.Join(root, "escape", "x"), // a link inside the root leading out
		"/etc/snowpat",
	} {
		_, err := OpenStore(dir)
		assert.ErrorIs(t, err, secrets.ErrInvalidArgument, dir)
		_, err = secrets.OpenStore(ctx, "file://"+dir)
		assert.ErrorIs(t, err, secrets.ErrInvalidArgument, dir)
	}
	assert.NoDirExists(t, filepath.Join(outside, "x"))

	// WithRoot replaces the environment's root; WithRoot("") lifts it.
	_, err := OpenStore(filepath.Join(outside, "x"), WithRoot(outside))
	require.NoError(t, err)
	_, err = OpenStore(filepath.Join(root, "x"), WithRoot(outside))
	require.ErrorIs(t, err, secrets.ErrInvalidArgument)
	_, err = OpenStore(filepath.Join(outside, "x"), WithRoot(""))
	require.NoError(t, err)

	// A root that is not an absolute, clean path is itself refused.
	for _, bad := range []string{"relative", root + "/", root + "/../root"} {
		t.Setenv(RootEnv, bad)
		_, err := OpenStore(filepath.Join(root, "x"))
		assert.ErrorIs(t, err, secrets.ErrInvalidArgument, bad)
		assert.ErrorContains(t, err, RootEnv)
	}
}
